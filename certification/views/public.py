"""Pages anyone may open without signing in: public notices, objections and verification."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certification.api.views.notices import ObjectionRateThrottle
from certification.forms.notices import ObjectionForm
from certification.models import Application
from certification.selectors import certificates as certificate_selectors
from certification.selectors import notices as selectors
from certification.services import notices as services
from gansu_sme import exceptions
from gansu_sme.views import call_service


def notice_list(request):
    return render(
        request, "public/notice_list.html", {"notices": selectors.notice_list_public()}
    )


def notice_detail(request, pk):
    notice = selectors.notice_get_public(pk=pk)
    is_open = services.notice_is_open(notice)
    form = ObjectionForm(request.POST or None, notice=notice) if is_open else None
    status = 200
    if request.method == "POST" and form is not None:
        throttle = ObjectionRateThrottle()
        if not throttle.allow_request(request, None):
            form.add_error(None, _("Too many objections from this address; try again later."))
            status = 429
        elif form.is_valid():
            application = Application.objects.get(pk=form.cleaned_data["application"])
            objection = call_service(
                form, services.objection_file, notice=notice, application=application,
                name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                text=form.cleaned_data["text"],
            )
            if objection is not None:
                messages.success(
                    request,
                    _("Your objection has been received (no. %(number)s). The department will "
                      "look into it.") % {"number": objection.pk},
                )
                return redirect("public:notice-detail", pk=notice.pk)
        if status == 200:
            status = 400
    return render(
        request,
        "public/notice_detail.html",
        {"notice": notice, "is_open": is_open, "form": form},
        status=status,
    )


def verify(request, number=None):
    number = number or request.GET.get("number", "").strip()
    if not number:
        return render(request, "public/verify.html", {})
    if "number" in request.GET:
        return redirect("public:verify", number=number)
    try:
        certificate = certificate_selectors.certificate_verify(number=number)
    except exceptions.OutOfScope:
        return render(request, "public/verify.html", {"number": number, "missing": True},
                      status=404)
    return render(request, "public/verify.html", {"number": number, "certificate": certificate})
