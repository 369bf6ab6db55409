from django.contrib import admin

from commonground.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "status", "progress", "attempts", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("name",)
