"""The history triggers every tracked model gets (``PGHISTORY_DEFAULT_TRACKERS``).

pghistory's default records inserts and updates only; a deleted row would leave no trace. These
add deletes (the row's last content). pghistory deep-copies the default trackers for each model,
and a deep copy of pgtrigger's operation constants no longer compares equal to them, which
breaks statement-level triggers (the monitoring reports'); each tracker therefore copies itself
by building a new instance.
"""

import pghistory


class _FreshCopy:
    def __deepcopy__(self, memo):
        return type(self)()


class InsertEvent(_FreshCopy, pghistory.InsertEvent):
    pass


class UpdateEvent(_FreshCopy, pghistory.UpdateEvent):
    pass


class DeleteEvent(_FreshCopy, pghistory.DeleteEvent):
    pass


def default_trackers():
    return (InsertEvent(), UpdateEvent(), DeleteEvent())
