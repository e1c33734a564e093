from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from statements.curation import merge_speakers
from statements.models import (
    Article,
    Country,
    Event,
    Organisation,
    Quote,
    QuoteEvent,
    Speaker,
    Topic,
)


class EstimatedCountPaginator(Paginator):
    """Avoids a full COUNT(*) on unfiltered changelists of huge tables by using the planner's
    estimate on PostgreSQL; filtered querysets and SQLite count exactly (they are narrow or small)."""

    @cached_property
    def count(self):
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
                if row and row[0] > 10000:
                    return row[0]
        return super().count


class CurationAdmin(admin.ModelAdmin):
    """Marks a row as curated whenever an editor changes it, so re-imports leave it alone."""

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.curated = True
        super().save_model(request, obj, form, change)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "aliases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent", "needs_review"]
    list_filter = ["needs_review", "kind", "country"]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["mark_reviewed"]

    @admin.action(description="Mark selected organisations as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        updated = queryset.update(needs_review=False)
        self.message_user(request, f"{updated} organisation(s) marked as reviewed.")


@admin.register(Speaker)
class SpeakerAdmin(CurationAdmin):
    list_display = ["name", "kind", "role", "organisation", "country", "quote_count", "curated"]
    list_filter = ["kind", "curated", "country"]
    list_select_related = ["organisation", "country"]
    search_fields = ["name", "aliases", "role"]
    autocomplete_fields = ["organisation", "country"]
    readonly_fields = ["quote_count"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_selected"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_merge_permission(self, request):
        # Merging deletes speakers, which editors may not do one by one (their quotes would lose
        # their speaker): a permission of its own, which the Editors group has.
        return request.user.has_perm("statements.merge_speaker")

    @admin.action(description="Merge selected speakers into one", permissions=["merge"])
    def merge_selected(self, request, queryset):
        speakers = list(queryset.select_related("organisation"))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return None
        if request.POST.get("confirm") == "yes":
            try:
                survivor = next(s for s in speakers if str(s.pk) == request.POST.get("survivor"))
            except StopIteration:
                self.message_user(request, "Choose which speaker to keep.", messages.ERROR)
                return None
            merged = [s for s in speakers if s.pk != survivor.pk]
            moved = merge_speakers(survivor, merged)
            self.message_user(
                request,
                f"Merged {', '.join(s.name for s in merged)} into {survivor.name}: "
                f"{moved} quote(s) moved, their names kept as aliases.",
            )
            return redirect("admin:statements_speaker_change", survivor.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "speakers": sorted(speakers, key=lambda s: -s.quote_count),
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/statements/speaker/merge_confirmation.html", context)


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["text", "speaker", "kind", "status", "start", "end"]
    autocomplete_fields = ["speaker"]
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published", "dateline", "needs_review", "imported_at"]
    list_filter = ["needs_review", "source", "published_inferred"]
    search_fields = ["title", "external_id"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "imported_at", "updated_at"]
    inlines = [QuoteInline]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        # Quotes an editor changes in the inline are curated too.
        instances = formset.save(commit=False)
        for quote in instances:
            if quote.pk:
                quote.curated = True
            quote.save()
        for quote in formset.deleted_objects:
            quote.delete()
        formset.save_m2m()


class QuoteEventInline(admin.TabularInline):
    model = QuoteEvent
    autocomplete_fields = ["event"]
    extra = 0


@admin.register(Quote)
class QuoteAdmin(CurationAdmin):
    list_display = ["__str__", "said_by", "kind", "said_on", "status", "confidence", "curated"]
    list_filter = ["status", "kind", "curated", "topics"]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["speaker", "article", "topics"]
    date_hierarchy = "said_on"
    readonly_fields = ["created_at"]
    inlines = [QuoteEventInline]
    actions = ["mark_verified", "mark_rejected"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    @admin.display(description="speaker", ordering="speaker__name")
    def said_by(self, quote):
        """The speaker, or the description of a source the article does not name."""
        if quote.speaker is not None:
            return quote.speaker
        return f"{quote.unnamed_source} (unnamed)" if quote.unnamed_source else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        events_changed = any(fs.has_changed() for fs in formsets)
        if change and events_changed and not form.instance.curated:
            Quote.objects.filter(pk=form.instance.pk).update(curated=True)

    @admin.action(description="Mark selected quotes as verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        updated = queryset.update(status=Quote.Status.VERIFIED, curated=True)
        self.message_user(request, f"{updated} quote(s) marked as verified.")

    @admin.action(description="Mark selected quotes as rejected", permissions=["change"])
    def mark_rejected(self, request, queryset):
        updated = queryset.update(status=Quote.Status.REJECTED, curated=True)
        self.message_user(request, f"{updated} quote(s) marked as rejected.")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "status"]
    list_filter = ["status", "kind", "topics"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["countries", "organisations", "topics", "source_article"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["confirm_candidates"]

    @admin.action(description="Confirm selected candidate events", permissions=["change"])
    def confirm_candidates(self, request, queryset):
        updated = queryset.update(status=Event.Status.CONFIRMED)
        self.message_user(request, f"{updated} event(s) confirmed.")
