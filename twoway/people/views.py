from django.http import HttpRequest, HttpResponse

from twoway.core.access import organisation_view


@organisation_view()
def person_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


org_chart = person_detail = person_import = person_export = person_list
