from twoway.people.views import person_list

person_import = person_export = person_list
