from twoway.core.api import OrganisationAPIView


class PersonListApi(OrganisationAPIView):
    pass


class PersonDetailApi(OrganisationAPIView):
    pass
