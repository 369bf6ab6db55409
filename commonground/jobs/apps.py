from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "commonground.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Each app's tasks.py registers its job functions with @job.
        autodiscover_modules("tasks")
