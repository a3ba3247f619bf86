// The admin's periodic task form (templates/admin/djcelery/change_periodictask_form.html):
// django-celery-beat's inline script as a file, for the Content-Security-Policy. Shows the
// chosen crontab in words under the field.
(function ($) {
  "use strict";
  var readableCrontabs = JSON.parse($("#readable-crontabs").text());
  var originalCrontabHelp = $("#periodic-task-overrides").data("crontab-help");

  function updateCrontabHelp(additional) {
    $(".field-crontab .help")
      .text(originalCrontabHelp)
      .append("<br/>", document.createTextNode("Translation: " + additional));
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    updateCrontabHelp(readableCrontabs[$("#id_crontab").val()]);
  });
})(django.jQuery);
