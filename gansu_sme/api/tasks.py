"""``GET /api/v1/tasks/``: the signed-in account's 我的待办, as the home page lists it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from gansu_sme.inbox import inbox_items


class TaskSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("What waits: application, score_sheet, notice …"))
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField()
    object = serializers.CharField(help_text=_("The name of the object that waits."))
    status = serializers.CharField()
    status_label = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text=_("The date it is due by, if any."))
    overdue = serializers.BooleanField()
    url = serializers.CharField(help_text=_("The page where the action is."))
    read_only = serializers.BooleanField(
        help_text=_("True for an auditor, who reads what is open but acts on nothing.")
    )


class TaskListView(APIView):
    """What waits for the account: overdue first, then by due date; not paginated."""

    @extend_schema(
        operation_id="tasks_list",
        responses=TaskSerializer(many=True),
        description="What waits for the signed-in account (我的待办), overdue first.",
    )
    def get(self, request):
        items = inbox_items(request.user)
        rows = TaskSerializer(items, many=True).data
        for row in rows:
            row["url"] = request.build_absolute_uri(row["url"])
        return Response(rows)
