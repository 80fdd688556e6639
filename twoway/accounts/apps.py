from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "twoway.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from twoway.accounts import signals  # noqa: F401  (connects allauth signal receivers)
