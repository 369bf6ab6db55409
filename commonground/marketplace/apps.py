from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "commonground.marketplace"
    label = "marketplace"
    verbose_name = "Community resilience marketplace"
