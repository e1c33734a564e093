from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Case, Q, Value, When
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator, capfirst

from newsdesk.admin import is_row_id
from statements.curation import merge_defaults, merge_speakers, reassign_quotes, recount_quotes, speaker_named
from statements.ingest.store import join_reports, refresh_statements, split_report
from statements.ingest.topic_model import shipped_model
from statements.models import (
    Article,
    Country,
    Event,
    Organisation,
    Quote,
    QuoteEvent,
    QuoteToReview,
    Speaker,
    SpeakerMerge,
    Statement,
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


# --- history: what an editor changed, with old and new values -------------------------------------


def shown_value(field, value):
    """A field's value as the history shows it: a name for a related row, at most 60 characters."""
    if value in (None, ""):
        return "(none)"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(item) for item in value)) or "(none)"
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        value = field.queryset.filter(pk=value).first() or value
    if isinstance(field, forms.ChoiceField) and not isinstance(value, models.Model):
        value = dict(field.choices).get(value, value)
    return "“{}”".format(Truncator(str(value)).chars(60))


def comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return sorted(comparable(item) for item in value)
    return value


# Set by every change an editor makes: saying so in each entry says nothing.
NOT_IN_HISTORY = {"curated"}


def described_changes(form, formsets=()):
    """'Speaker: “Sarah Palin” → “RBC Capital Markets”; Speaker role: “former governor” →
    (none)': every field whose saved value differs from what the form showed, including those the
    save changed itself (a reassignment clears the article's role). Inline rows are named."""
    parts = []
    instance = form.instance
    for name, field in form.fields.items():
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form field that is not a model field
            continue
        old = form.initial.get(name)
        new = model_field.value_from_object(instance)
        if name in NOT_IN_HISTORY or comparable(old) == comparable(new):
            continue
        label = capfirst(field.label or model_field.verbose_name)
        parts.append(f"{label}: {shown_value(field, old)} → {shown_value(field, new)}")
    for formset in formsets or ():
        for obj in getattr(formset, "new_objects", ()):
            parts.append(f"added {obj._meta.verbose_name} “{obj}”")
        for obj, fields in getattr(formset, "changed_objects", ()):
            parts.append(f"changed {obj._meta.verbose_name} “{obj}” ({', '.join(fields)})")
        for obj in getattr(formset, "deleted_objects", ()):
            parts.append(f"deleted {obj._meta.verbose_name} “{obj}”")
    return "; ".join(parts)


def log_quote_changes(user, changes):
    """One history entry per quote, [(quote id, its text, message)], under Quote (the review
    queue's rows are quotes too), so each quote's history page shows every change to it."""
    content_type = ContentType.objects.get_for_model(Quote)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(Quote(text=text))[:200],
            action_flag=CHANGE,
            change_message=message,
        )
        for pk, text, message in changes
    )


# --- choosing a speaker: an existing one, or a new one typed in ------------------------------------

NEW_SPEAKER = "new:"


class SpeakerSelect(AutocompleteSelect):
    """Django's autocomplete of existing speakers (most quoted first), with "New speaker: <name>"
    as the last choice (static/js/speaker_autocomplete.js)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # our script sets select2 up, not Django's (which looks for "admin-autocomplete")
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "speaker-autocomplete")
        return attrs

    # {speaker id: name} of the speakers a list's rows already hold: their boxes show the chosen
    # speaker without a query each (ListSpeakerFormSet)
    known = {}

    def optgroups(self, name, value, attr=None):
        typed = [v for v in value if str(v).startswith(NEW_SPEAKER)]
        chosen = [v for v in value if v not in typed and v not in ("", None)]
        if chosen and all(str(v) in self.known for v in chosen):
            options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
            for v in chosen:
                options.append(self.create_option(name, v, self.known[str(v)], True, len(options)))
            groups = [(None, options, 0)]
        else:
            groups = super().optgroups(name, [v for v in value if v not in typed], attr)
        for v in typed:
            label = "New speaker: " + str(v)[len(NEW_SPEAKER) :]
            groups[0][1].append(self.create_option(name, v, label, True, len(groups[0][1])))
        return groups

    @property
    def media(self):
        django_media = super().media  # ours after Django's, in one list, so that it stays after them
        return forms.Media(js=[*django_media._js, "js/speaker_autocomplete.js"], css=django_media._css)


class SpeakerField(forms.ModelChoiceField):
    """An existing speaker's id, or "new:<name>": an unsaved Speaker of that name, which
    resolve_new_speaker saves (or finds) when the quote is saved."""

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(NEW_SPEAKER):
            name = " ".join(value[len(NEW_SPEAKER) :].split())
            if not name:
                raise ValidationError("Type the new speaker's name.")
            if len(name) > Speaker._meta.get_field("name").max_length:
                raise ValidationError("A speaker's name is at most 200 characters.")
            return Speaker(name=name)
        return super().to_python(value)


def speaker_field(admin_site, **options):
    return SpeakerField(
        queryset=Speaker.objects.all(),
        widget=SpeakerSelect(Quote._meta.get_field("speaker"), admin_site),
        **options,
    )


def resolve_new_speaker(speaker):
    """The saved speaker for what an editor chose (a new name becomes a record, or finds one)."""
    if speaker is not None and speaker.pk is None:
        return speaker_named(speaker.name)
    return speaker


def prepare_quote_save(quote, form):
    """Before a quote form is saved: a typed new speaker is created; a quote given another speaker
    loses the article's description of the old one (it then shows the new speaker's role), unless
    the editor wrote one. Returns the old speaker's id when the speaker changed, else None."""
    quote.speaker = resolve_new_speaker(quote.speaker)
    if quote.pk is None or "speaker" not in form.changed_data:
        return None
    if "speaker_role" not in form.changed_data:
        quote.speaker_role = ""
    return form.initial.get("speaker") or 0


class CurationAdmin(admin.ModelAdmin):
    """Marks a row as curated whenever an editor changes it, so re-imports leave it alone, and
    writes each change to the row's history as the fields it changed, with old and new values."""

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.curated = True
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        return described_changes(form, formsets) or "No fields changed."


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


class MergeSpeakersForm(forms.Form):
    """What the merged speaker is called and described as; defaults from merge_defaults."""

    survivor = forms.TypedChoiceField(
        label="Keep the page (URL) of", coerce=int, widget=forms.RadioSelect, help_text=""
    )
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"list": "merge-names", "size": 50}))
    role = forms.CharField(
        label="Title or role",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"list": "merge-roles", "size": 50}),
    )
    # organisation and country: autocompletes of all of them (__init__)

    def __init__(self, *args, speakers, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (s.pk, f"{s.get_absolute_url()} ({s.quote_count} quote{'s' if s.quote_count != 1 else ''})")
            for s in speakers
        ]
        for name, model in (("organisation", Organisation), ("country", Country)):
            widget = AutocompleteSelect(Speaker._meta.get_field(name), admin_site)
            self.fields[name] = forms.ModelChoiceField(model.objects.all(), required=False, widget=widget)

    def description(self):
        return {name: self.cleaned_data[name] for name in ("name", "role", "organisation", "country")}


class SpeakerMergeInline(admin.TabularInline):
    """The records merged into this speaker, whose old URLs now lead here."""

    model = SpeakerMerge
    fk_name = "survivor"
    fields = ["name", "slug", "role", "organisation", "country", "quotes_moved", "merged_at", "merged_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "merged record"
    verbose_name_plural = "merged into this speaker (their old URLs redirect here)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("statements.view_speaker")


@admin.register(Speaker)
class SpeakerAdmin(CurationAdmin):
    list_display = ["name", "kind", "role", "organisation", "country", "quote_count", "curated"]
    list_filter = ["kind", "curated", "country"]
    list_select_related = ["organisation", "country"]
    search_fields = ["name", "aliases", "role"]
    autocomplete_fields = ["organisation", "country"]
    readonly_fields = ["quote_count"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerMergeInline]
    actions = ["merge_selected"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """The speaker named exactly as typed first, then the most quoted (the speaker box of the
        quote forms lists these): "Sarah Palin" before "Sarah Palin's aide"."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split())
        if term:
            queryset = queryset.annotate(
                exact_name=Case(When(name__iexact=term, then=Value(0)), default=Value(1))
            ).order_by("exact_name", "-quote_count", "name")
        return queryset, may_have_duplicates

    def has_merge_permission(self, request):
        # Merging deletes speakers, which editors may not do one by one (their quotes would lose
        # their speaker): a permission of its own, which the Editors group has.
        return request.user.has_perm("statements.merge_speaker")

    @admin.action(description="Merge selected speakers into one", permissions=["merge"])
    def merge_selected(self, request, queryset):
        speakers = sorted(
            queryset.select_related("organisation", "country"), key=lambda s: (-s.quote_count, s.pk)
        )
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return None
        form_options = {"speakers": speakers, "admin_site": self.admin_site}
        if request.POST.get("confirm") == "yes":
            survivor = next((s for s in speakers if str(s.pk) == request.POST.get("survivor")), None)
            if survivor is None:
                self.message_user(request, "Choose which speaker to keep.", messages.ERROR)
                return None
            form = MergeSpeakersForm(request.POST, **form_options)
            if form.is_valid():
                return self.merge(request, survivor, speakers, form.description())
        else:
            defaults = merge_defaults(speakers)
            form = MergeSpeakersForm(
                initial={**defaults, "survivor": defaults["survivor"].pk}, **form_options
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "form": form,
            "media": self.media + form.media,
            "speakers": speakers,
            "names": sorted({s.name for s in speakers}),
            "roles": sorted({s.role for s in speakers if s.role}),
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/statements/speaker/merge_confirmation.html", context)

    def merge(self, request, survivor, speakers, description):
        merged = [s for s in speakers if s.pk != survivor.pk]
        before = {name: getattr(survivor, name) for name in description}
        moved = merge_speakers(survivor, merged, description=description, merged_by=request.user)
        changes = [
            f"{name}: {shown_value(None, before[name])} → {shown_value(None, value)}"
            for name, value in description.items()
            if before[name] != value
        ]
        merged_names = ", ".join(f"{s.name} ({s.get_absolute_url()})" for s in merged)
        self.log_change(
            request,
            survivor,
            f"Merged {merged_names} into this speaker, {moved} quote(s) moved; " + "; ".join(changes),
        )
        self.message_user(
            request,
            f"Merged {', '.join(s.name for s in merged)} into {survivor.name}: {moved} quote(s) moved, "
            "their names kept as aliases and their old pages redirected here.",
        )
        return redirect("admin:statements_speaker_change", survivor.pk)


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["text", "speaker", "kind", "status", "start", "end"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            return speaker_field(self.admin_site, required=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        # Quotes an editor changes in the inline are curated too, and a new speaker follows its
        # rules (role cleared, counts recounted) as in the quote's own form.
        recount = []
        for quote_form in formset.forms:
            if quote_form in formset.deleted_forms or not quote_form.has_changed():
                continue
            quote = quote_form.instance
            old_speaker = prepare_quote_save(quote, quote_form)
            if old_speaker is not None:
                recount += [old_speaker, quote.speaker_id]
        instances = formset.save(commit=False)
        for quote in instances:
            if quote.pk:
                quote.curated = True
            quote.save()
        for quote in formset.deleted_objects:
            recount.append(quote.speaker_id)
            quote.delete()
        formset.save_m2m()
        recount_quotes(recount)


class QuoteEventInline(admin.TabularInline):
    model = QuoteEvent
    autocomplete_fields = ["event"]
    extra = 0


class QuoteCurationAdmin(CurationAdmin):
    """What the quote list and the review queue share: the speaker box (existing or new speaker),
    its rules when saved, and the actions (verify, reject, reassign), each written to the quotes'
    history."""

    action_form = None  # set below, once the form class exists

    class Media:
        css = {"all": ["css/admin_curation.css"]}

    actions = ["mark_verified", "mark_rejected", "reassign_speaker"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            return speaker_field(self.admin_site, required=False, help_text=SPEAKER_HELP)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # an article's text is kilobytes that no list shows
        quotes = self.model._default_manager.get_queryset().defer("article__body")
        phrase = searched_phrase(request)
        if phrase:  # the quotes holding the typed words as one phrase come first (get_ordering)
            quotes = quotes.annotate(
                exact_phrase=Case(When(text__icontains=phrase, then=Value(0)), default=Value(1))
            )
        return quotes.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        ordering = list(super().get_ordering(request) or self.model._meta.ordering)
        return ["exact_phrase", *ordering] if searched_phrase(request) else ordering

    def get_search_results(self, request, queryset, search_term):
        """Quotes whose words match (the site's full-text search), or whose speaker's name does."""
        phrase = searched_phrase(request)
        if not phrase:
            return queryset, False
        words = Quote.objects.matching(phrase).values("pk")
        return queryset.filter(Q(pk__in=words) | Q(speaker__name__icontains=phrase)), False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        old_speaker = prepare_quote_save(obj, form)
        super().save_model(request, obj, form, change)
        if old_speaker is not None:
            recount_quotes([old_speaker, obj.speaker_id])

    def log_change(self, request, obj, message):
        log_quote_changes(request.user, [(obj.pk, obj.text, message)])

    @admin.display(description="speaker", ordering="speaker__name")
    def said_by(self, quote):
        """The speaker and their role in this article, or the description of a source the article
        does not name."""
        if quote.speaker is not None:
            role = quote.role_here
            return f"{quote.speaker}, {role}" if role else str(quote.speaker)
        return f"{quote.unnamed_source} (unnamed)" if quote.unnamed_source else "(no speaker)"

    @admin.display(description="role in this article")
    def role_in_article(self, quote):
        return quote.role_here or quote.unnamed_source or "—"

    @admin.display(description="quote", ordering="text")
    def quote_text(self, quote):
        return Truncator(quote.text).chars(240)

    @admin.display(description="source", ordering="article__published")
    def source(self, quote):
        article = quote.article
        published = article.published.isoformat() if article.published else "no date"
        return format_html(
            '{}, {} <a href="{}" target="_blank" rel="noopener">in context</a>',
            article.source or "Unknown outlet",
            published,
            quote.get_absolute_url(),
        )

    @admin.display(description="confidence", ordering="confidence")
    def confidence_shown(self, quote):
        return f"{quote.confidence:.2f}"

    def set_status(self, request, queryset, status):
        """The quotes' review status (and curated), each change in its quote's history."""
        label = Quote.Status(status).label
        changed = list(queryset.exclude(status=status).values_list("pk", "text", "status"))
        statements = list(queryset.exclude(statement=None).values_list("statement_id", flat=True))
        updated = queryset.update(status=status, curated=True)
        refresh_statements(statements)  # a rejected report is never the one a statement is listed by
        log_quote_changes(
            request.user,
            [(pk, text, f"Status: “{Quote.Status(old).label}” → “{label}”") for pk, text, old in changed],
        )
        return updated

    @admin.action(description="Mark selected quotes as verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        updated = self.set_status(request, queryset, Quote.Status.VERIFIED)
        self.message_user(request, f"{updated} quote(s) marked as verified.")

    @admin.action(description="Mark selected quotes as rejected", permissions=["change"])
    def mark_rejected(self, request, queryset):
        updated = self.set_status(request, queryset, Quote.Status.REJECTED)
        self.message_user(request, f"{updated} quote(s) marked as rejected.")

    @admin.action(description="Give selected quotes the speaker chosen below", permissions=["change"])
    def reassign_speaker(self, request, queryset):
        try:
            chosen = speaker_field(self.admin_site, required=True).clean(request.POST.get("speaker"))
        except ValidationError:
            self.message_user(
                request, "Choose the speaker (or type a new one) beside the action.", messages.ERROR
            )
            return None
        with transaction.atomic():
            speaker = resolve_new_speaker(chosen)
            texts = dict(queryset.values_list("pk", "text"))
            changed = reassign_quotes(Quote.objects.filter(pk__in=list(texts)), speaker)
            log_quote_changes(
                request.user,
                [
                    (
                        pk,
                        texts[pk],
                        f"Speaker: {shown_value(None, old)} → “{speaker}”; Title or role: cleared",
                    )
                    for pk, old in changed
                ],
            )
        self.message_user(request, f"{len(changed)} quote(s) now attributed to {speaker}.")
        return None


def searched_phrase(request):
    """The admin search as one phrase, without the quotation marks an editor may paste with it."""
    return " ".join(request.GET.get("q", "").strip().strip("\"“”'‘’«»").split())


SPEAKER_HELP = (
    "Type to find a speaker; if nobody fits, pick “New speaker: …” to create one. A new speaker "
    "clears the role this article gave the old one."
)


class QuoteActionForm(admin.helpers.ActionForm):
    """The action bar, with the speaker box the "give selected quotes the speaker" action uses."""

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = speaker_field(admin_site or admin.site, required=False, label="Speaker")


QuoteCurationAdmin.action_form = QuoteActionForm


@admin.register(Quote)
class QuoteAdmin(QuoteCurationAdmin):
    list_display = ["quote_text", "said_by", "source", "said_on", "status", "confidence_shown", "curated"]
    list_filter = ["status", "kind", "curated", "topics"]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["article", "topics"]
    date_hierarchy = "said_on"
    # The organisation the article gave the speaker, which the topic model read (see retag.py).
    readonly_fields = ["speaker_organisation", "created_at"]
    inlines = [QuoteEventInline]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        events_changed = any(fs.has_changed() for fs in formsets)
        if change and events_changed and not form.instance.curated:
            Quote.objects.filter(pk=form.instance.pk).update(curated=True)


# --- the review queue -----------------------------------------------------------------------------


class QueueSpeakerFilter(admin.SimpleListFilter):
    """The most quoted speakers, and whichever one is chosen (any speaker id works in the URL)."""

    title = "speaker"
    parameter_name = "speaker"

    def lookups(self, request, model_admin):
        speakers = list(Speaker.objects.order_by("-quote_count", "name").values_list("pk", "name")[:15])
        value = self.value()
        if value and is_row_id(value) and all(str(pk) != value for pk, _ in speakers):
            speakers += list(Speaker.objects.filter(pk=value).values_list("pk", "name"))
        named = [("named", "Any named speaker"), ("none", "No speaker")]
        return named + [(str(pk), name) for pk, name in speakers]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value in ("named", "none"):  # quotes without a speaker have confidence 0: first unless left out
            return queryset.filter(speaker__isnull=value == "none")
        return queryset.filter(speaker_id=value) if is_row_id(value) else queryset.none()


class QueueSourceFilter(admin.SimpleListFilter):
    title = "outlet"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        outlets = Article.objects.exclude(source="").order_by("source").values_list("source", flat=True)
        return [(outlet, outlet) for outlet in outlets.distinct()[:50]]

    def queryset(self, request, queryset):
        return queryset.from_outlet(self.value()) if self.value() else queryset


class QueueYearFilter(admin.SimpleListFilter):
    title = "year said"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        newest = (
            Quote.objects.exclude(said_on=None).order_by("-said_on").values_list("said_on", flat=True).first()
        )
        oldest = (
            Quote.objects.exclude(said_on=None).order_by("said_on").values_list("said_on", flat=True).first()
        )
        if newest is None:
            return []
        return [(str(year), str(year)) for year in range(newest.year, oldest.year - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            return queryset.none()
        return queryset.filter(said_on__year=int(value))


class ListSpeakerFormSet(forms.BaseModelFormSet):
    """The list's speaker boxes, told the names of the speakers their rows already loaded."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields.get("speaker")
        if field is not None and form.instance.speaker_id is not None:
            widget = getattr(field.widget, "widget", field.widget)  # inside the "+" links' wrapper
            widget.known = {str(form.instance.speaker_id): str(form.instance.speaker)}
        return form


@admin.register(QuoteToReview)
class ReviewQueueAdmin(QuoteCurationAdmin):
    """Unreviewed quotes, the least certain attributions first. Verify or reject with one click;
    change a speaker in the list (then Save), or give many quotes one speaker with the action."""

    list_display = ["decide", "quote_text", "speaker", "role_in_article", "source", "confidence_shown"]
    list_display_links = None
    list_editable = ["speaker"]
    list_filter = [
        QueueSpeakerFilter,
        QueueSourceFilter,
        QueueYearFilter,
        ("said_on", admin.DateFieldListFilter),
    ]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "speaker__name"]
    ordering = ["confidence", "id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # each Verify or Reject draws the page again: 25 rows draw in half the time of 50
    list_per_page = 25

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Quote.Status.UNREVIEWED)

    def changelist_view(self, request, extra_context=None):
        title = "Review queue: unreviewed quotes, the least certain attributions first"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    # The queue is a view of quotes: the quote permissions decide.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("statements.view_quote") or request.user.has_perm(
            "statements.change_quote"
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("statements.change_quote")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=ListSpeakerFormSet, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The list's speaker boxes go without the change/add/view icons Django wraps around them:
        # "New speaker" adds one, and drawing the icons took half the page's time.
        if db_field.name == "speaker":
            return speaker_field(self.admin_site, required=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="statements_quotetoreview_review",
        )
        return [review, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:statements_quote_change", object_id)

    @admin.display(description="decide")
    def decide(self, quote):
        url = reverse("admin:statements_quotetoreview_review", args=[quote.pk])
        return format_html(
            '<button type="submit" class="button" formaction="{}" name="review" value="verified">Verify</button> '
            '<button type="submit" class="button" formaction="{}" name="review" value="rejected">Reject</button> '
            '<a href="{}">Edit</a>',
            url,
            url,
            reverse("admin:statements_quote_change", args=[quote.pk]),
        )

    def review_view(self, request, object_id):
        """One click on Verify or Reject in the queue (the buttons submit the list's form here)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        status = request.POST.get("review")
        if status not in (Quote.Status.VERIFIED, Quote.Status.REJECTED) or not is_row_id(object_id):
            return HttpResponseBadRequest("Verify or reject one quote.", content_type="text/plain")
        quote = get_object_or_404(Quote, pk=object_id)
        self.set_status(request, Quote.objects.filter(pk=quote.pk), status)
        self.message_user(request, f"{quote} marked as {Quote.Status(status).label.lower()}.")
        back = request.META.get("HTTP_REFERER", "")
        changelist = reverse("admin:statements_quotetoreview_changelist")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or changelist not in back:
            back = changelist
        return redirect(back)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics and the rules that tag quotes with them; `manage.py retag` applies changed rules to
    the quotes already imported (an import applies them to new ones)."""

    list_display = ["name", "parent", "slug", "decided_by", "proposes_events"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["decided_by"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "description", "editor_notes", "decided_by"]}),
        (
            "Tagging rules",
            {
                "description": (
                    "A quote gets this topic when a keyword is in the quote or its sentence (or two "
                    "weak keywords, or one with a keyword), or when every group of a co-mention rule is "
                    "named near it (one group in its sentence; the sentences around or the article's "
                    "title may complete the rest). Of the topics a quote's words give, it keeps those "
                    "with nearly as much evidence as the best one. Lists are JSON: keywords "
                    '["tariff", "trade war"]; weak keywords ["exports", "trade"], words that point to '
                    'the topic but say too little alone; co-mention groups [["Syria", "country:SYR"], '
                    '["ceasefire", "truce"]]; exclusions ["trade show"], phrases in which the keywords '
                    "mean something else. Run `manage.py retag` to apply changes to imported quotes."
                ),
                "fields": ["keywords", "weak_keywords", "all_of", "none_of", "proposes_events"],
            },
        ),
    ]

    @admin.display(description="Decided by")
    def decided_by(self, topic):
        """Whether the topic model or the rules alone tag quotes with this topic (see
        statements/ingest/topic_model.py): the model weighs a topic's keywords with the quote's
        other words, so editing them changes its tags less directly."""
        model = shipped_model()
        if topic.pk is None or model is None:
            return "its rules"
        if topic.slug in model.rules_too:
            return "the topic model, and these rules, whose tags it keeps beside its own"
        if topic.slug in model.topics:
            return "the topic model, which weighs these rules as evidence"
        if topic.slug in model.areas.values():
            return "its rules, and the topic model when it is sure of the area but not of its topics"
        return "its rules"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "status"]
    list_filter = ["status", "kind", "topics"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["countries", "organisations", "topics", "source_article"]
    raw_id_fields = ["trigger"]  # a quote, by id: a menu of a million quotes is no use
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["confirm_candidates"]

    @admin.action(description="Confirm selected candidate events", permissions=["change"])
    def confirm_candidates(self, request, queryset):
        updated = queryset.update(status=Event.Status.CONFIRMED)
        self.message_user(request, f"{updated} event(s) confirmed.")


# --- statements (grouping of reports): split a report out, join statements ------------------------


class ReportForm(forms.ModelForm):
    split_out = forms.BooleanField(
        required=False, label="Split out", help_text="Not a report of this statement"
    )

    class Meta:
        model = Quote
        fields = []


class ReportInline(admin.TabularInline):
    """A statement's reports, each with a box to split it out into a statement of its own."""

    model = Quote
    form = ReportForm
    fk_name = "statement"
    fields = ["text", "outlet", "said_on", "speaker", "is_primary_report", "split_out"]
    readonly_fields = ["text", "outlet", "said_on", "speaker", "is_primary_report"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "speaker")

    @admin.display(description="outlet")
    def outlet(self, quote):
        return quote.article.source

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "first_said", "report_count", "outlet_count", "curated"]
    list_filter = ["curated"]
    list_select_related = ["speaker"]
    search_fields = ["speaker__name"]
    readonly_fields = ["id", "speaker", "first_said", "report_count", "outlet_count", "outlets", "curated"]
    inlines = [ReportInline]
    actions = ["join_selected"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # statements come from grouping reports, or an editor's split or join

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # for the admin's change message: no report field is edited here
        for inline_form in formset.forms:
            if inline_form.cleaned_data.get("split_out"):
                quote = inline_form.instance
                quote.refresh_from_db()
                own = split_report(quote)
                self.message_user(request, f"“{quote}” is now a statement of its own ({own}).")

    @admin.action(description="Join the selected statements into one", permissions=["change"])
    def join_selected(self, request, queryset):
        try:
            statement = join_reports(Quote.objects.filter(statement__in=queryset))
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Joined into {statement}.")


@admin.action(description="Split the selected reports out of their statements", permissions=["change"])
def split_selected_reports(modeladmin, request, queryset):
    split = 0
    for quote in queryset.exclude(statement=None):
        split_report(quote)
        split += 1
    modeladmin.message_user(request, f"{split} report(s) split out into statements of their own.")


@admin.action(description="Join the selected quotes into one statement", permissions=["change"])
def join_selected_reports(modeladmin, request, queryset):
    try:
        statement = join_reports(queryset)
    except ValueError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    modeladmin.message_user(request, f"Joined into {statement}.")


QuoteAdmin.actions = [*QuoteAdmin.actions, split_selected_reports, join_selected_reports]
