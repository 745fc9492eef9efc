"""A consultation's results (for those who run it, the stewards and its wards' councillors), tagging its
free-text answers with themes, and every response as a spreadsheet. Views parse, authorise, call and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_safe

from .. import keywords
from ..errors import EngagementError
from ..models import Consultation, Question
from ..models_analysis import AnswerTheme
from ..permissions import runs_consultation, sees_personal_data, sees_results
from ..suppression import EVERYONE, SIZE, Refused
from . import charts, queries, services
from .forms import BulkTagForm, MergeForm, ResultsFilterForm, ThemeForm

CSV_NOT_YOURS = (
    "Only the officers of the department running this consultation and the stewards can download its responses."
)
NOT_YOURS = (
    "Only the officers of the department running this consultation, the stewards and the councillors of the "
    "wards it affects can see its results."
)
NOT_RUNNING = "Only the officers of the department running this consultation and the stewards can tag its answers."
PER_PAGE = 50
MAX_PAGE = 10_000


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("department"), slug=slug)


def _crumbs(consultation: Consultation, *more: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home:home"))]
    try:
        crumbs.append((consultation.title, reverse("engagement:manage_consultation", args=[consultation.slug])))
    except NoReverseMatch:  # the consultations area's page, once it is merged
        crumbs.append((consultation.title, reverse("engagement:results", args=[consultation.slug])))
    return crumbs + [(label, url) for label, url in more if url]


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@login_required
@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Per question a chart and its table, for everyone or a ward and/or one monitoring answer, never showing a
    group or a count of fewer than 10 people."""
    consultation = _consultation(slug)
    if not sees_results(request.user, consultation):
        raise PermissionDenied(NOT_YOURS)
    repeated = [key for key in ("ward", "answer") if len(request.GET.getlist(key)) > 1]
    asked = {key: request.GET.get(key, "").strip() for key in ("ward", "answer")}
    split_field = asked["answer"].partition(":")[0] if asked["ward"] and asked["answer"] else ""
    found = queries.results_for(consultation, split_field=split_field if split_field in queries.FIELDS else "")
    form = ResultsFilterForm(
        request.GET if any(asked.values()) else None, wards=found.ward_choices(), answers=found.answer_choices()
    )
    group, refused, show = EVERYONE, "", True
    if repeated:
        refused, show = (
            "Choose one ward and one equality monitoring answer at most: results are shown for one of each.",
            False,
        )
        form = ResultsFilterForm(None, wards=found.ward_choices(), answers=found.answer_choices())
    elif form.is_bound:
        show = form.is_valid()
        if show:
            try:
                group = queries.parse_group(found, form.cleaned_data["ward"], form.cleaned_data["answer"])
            except Refused as why:
                show = False
                # Shown beside the filter it is about (the error summary links to it).
                form.add_error("ward" if "for that ward on its own" in str(why) else "answer", str(why))
    shown_group = group if show else EVERYONE
    items = queries.view(found, group) if show else []
    runs = runs_consultation(request.user, consultation)
    themes = queries.theme_counts(consultation, quotes=runs) if shown_group == EVERYONE else {}
    drawn = []
    for index, item in enumerate(items, start=1):
        item.themes = themes.get(item.question.pk, [])
        drawn.append((item, charts.question_chart(item, index=index)))
    size = found.analysis.shown(SIZE, None, shown_group)
    context: dict[str, Any] = {
        "consultation": consultation,
        "form": form,
        "refused": refused,
        "group_label": queries.group_label(found, shown_group),
        "filtered": shown_group != EVERYONE,
        "show": show,
        "size": size,
        "items": drawn,
        "runs": runs,
        "personal": sees_personal_data(request.user, consultation),
        "pooled_wards": found.pooled_wards(),
        "action": reverse("engagement:results", args=[consultation.slug]),
        "crumbs": _crumbs(consultation, ("Results", "")),
        "summary_errors": [refused] if refused else [],
    }
    return render(request, "engagement/analysis/results.html", context, status=200)


def _question(consultation: Consultation, question_id: int) -> Question:
    return get_object_or_404(Question, pk=question_id, consultation=consultation, kind=Question.Kind.TEXT)


def _suggestions(question: Question, answers: Any) -> list[keywords.Suggestion]:
    """The question's suggested phrases, worked out once for the answers as they stand (the key changes when an
    answer is added or changed)."""
    stamp = answers.order_by().values_list("pk", flat=True)
    count = stamp.count()
    newest = stamp.order_by("-pk").first() or 0
    key = f"engagement:suggestions:{question.pk}:{count}:{newest}"
    found = cache.get(key)
    if found is None:
        found = keywords.suggest(answers.values_list("text", flat=True).iterator(chunk_size=2000))
        cache.set(key, found, 60 * 60)
    return list(found)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tagging(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """One free-text question's answers, 50 a page, each with its themes to tick; themes to add; suggested
    phrases, and tagging every answer holding one with a theme."""
    consultation = _consultation(slug)
    if not runs_consultation(request.user, consultation):
        raise PermissionDenied(NOT_RUNNING)
    question = _question(consultation, question_id)
    themes = AnswerTheme.objects.filter(consultation=consultation).order_by("name")
    phrase = request.GET.get("phrase", "").strip()[:100]
    here = reverse("engagement:tagging", args=[consultation.slug, question.pk])
    theme_form = ThemeForm(prefix="theme")
    bulk_form = BulkTagForm(initial={"phrase": phrase}, themes=themes, prefix="bulk")
    page_error = ""
    all_answers = queries.text_answers(question)
    if phrase:
        matching = [pk for pk, text in all_answers.values_list("pk", "text") if keywords.holds(text, phrase)]
        answers = all_answers.filter(pk__in=matching)
    else:
        matching = []
        answers = all_answers
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "theme":
                theme_form = ThemeForm(request.POST, prefix="theme")
                if theme_form.is_valid():
                    made = services.create_theme(
                        consultation=consultation,
                        name=theme_form.cleaned_data["name"],
                        description=theme_form.cleaned_data["description"],
                        by=request.user,
                    )
                    messages.success(request, f"Theme ‘{made.name}’ added.")
                    return redirect(request.get_full_path())
            elif action == "bulk":
                bulk_form = BulkTagForm(request.POST, themes=themes, prefix="bulk")
                if bulk_form.is_valid():
                    wanted = bulk_form.cleaned_data["phrase"]
                    holding = [pk for pk, text in all_answers.values_list("pk", "text") if keywords.holds(text, wanted)]
                    added = services.tag_all(
                        question=question, answer_ids=holding, theme=bulk_form.cleaned_data["theme"], by=request.user
                    )
                    theme_name = bulk_form.cleaned_data["theme"].name
                    messages.success(
                        request,
                        f"{len(holding)} answers holding ‘{wanted}’ are tagged ‘{theme_name}’ ({added} newly).",
                    )
                    return redirect(request.get_full_path())
            elif action == "save":
                on_page = [int(v) for v in request.POST.getlist("answer") if v.isdigit()][:PER_PAGE]
                chosen: dict[int, set[int]] = {pk: set() for pk in on_page}
                for value in request.POST.getlist("tag"):
                    answer, _sep, theme = value.partition(":")
                    if answer.isdigit() and theme.isdigit() and int(answer) in chosen:
                        chosen[int(answer)].add(int(theme))
                if not on_page:
                    page_error = "There were no answers on the page to save. Reload the page and try again."
                else:
                    services.tag_answers(question=question, chosen=chosen, by=request.user)
                    messages.success(request, "The themes of the answers on this page are saved.")
                    return redirect(request.get_full_path())
            else:
                page_error = "Choose what to do: save the page’s themes, add a theme, or tag the answers shown."
        except EngagementError as error:
            target = theme_form if action == "theme" else bulk_form if action == "bulk" else None
            if target is not None and hasattr(error, "error_dict"):
                for name, problems in error.error_dict.items():
                    for problem in problems:
                        target.add_error(name if name in target.fields else None, problem.message)
            else:
                page_error = " ".join(error.messages)
    page = Paginator(answers, PER_PAGE).get_page(_page_number(request))
    theme_list = list(themes)
    counts = {t["id"]: t["count"] for t in queries.theme_counts(consultation, quotes=False).get(question.pk, [])}
    rows = []
    for answer in page.object_list:
        tagged = {tag.theme_id for tag in answer.tags.all()}
        rows.append({"answer": answer, "tagged": tagged})
    context = {
        "consultation": consultation,
        "question": question,
        "page": page,
        "rows": rows,
        "themes": [(t, counts.get(t.pk, 0)) for t in theme_list],
        "theme_form": theme_form,
        "bulk_form": bulk_form,
        "phrase": phrase,
        "matching": len(matching),
        "suggestions": _suggestions(question, all_answers),
        "here": here,
        "summary_forms": [theme_form, bulk_form],
        "summary_errors": [page_error] if page_error else [],
        "crumbs": _crumbs(
            consultation,
            ("Results", reverse("engagement:results", args=[consultation.slug])),
            ("Themes", ""),
        ),
    }
    return render(request, "engagement/analysis/tagging.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def theme(request: HttpRequest, slug: str, question_id: int, theme_id: int) -> HttpResponse:
    """Rename a theme, merge it into another, or delete it."""
    consultation = _consultation(slug)
    if not runs_consultation(request.user, consultation):
        raise PermissionDenied(NOT_RUNNING)
    question = _question(consultation, question_id)
    found = get_object_or_404(AnswerTheme, pk=theme_id, consultation=consultation)
    others = AnswerTheme.objects.filter(consultation=consultation).exclude(pk=found.pk).order_by("name")
    back = reverse("engagement:tagging", args=[consultation.slug, question.pk])
    rename_form = ThemeForm(initial={"name": found.name, "description": found.description}, prefix="rename")
    merge_form = MergeForm(themes=others, prefix="merge")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rename":
                rename_form = ThemeForm(request.POST, prefix="rename")
                if rename_form.is_valid():
                    services.rename_theme(theme=found, by=request.user, **rename_form.cleaned_data)
                    messages.success(request, "The theme is renamed.")
                    return redirect(back)
            elif action == "merge":
                merge_form = MergeForm(request.POST, themes=others, prefix="merge")
                if merge_form.is_valid():
                    into = merge_form.cleaned_data["into"]
                    services.merge_themes(theme=found, into=into, by=request.user)
                    messages.success(request, f"‘{found.name}’ is merged into ‘{into.name}’.")
                    return redirect(back)
            elif action == "delete":
                services.delete_theme(theme=found, by=request.user)
                messages.success(request, f"The theme ‘{found.name}’ is deleted; its answers are kept.")
                return redirect(back)
            else:
                rename_form = ThemeForm(request.POST, prefix="rename")
                rename_form.is_valid()
        except EngagementError as error:
            target = rename_form if action == "rename" else merge_form
            for name, problems in getattr(error, "error_dict", {}).items():
                for problem in problems:
                    target.add_error(name if name in target.fields else None, problem.message)
    context = {
        "consultation": consultation,
        "question": question,
        "theme": found,
        "rename_form": rename_form,
        "merge_form": merge_form,
        "has_others": others.exists(),
        "back": back,
        "summary_forms": [rename_form, merge_form],
        "crumbs": _crumbs(
            consultation,
            ("Results", reverse("engagement:results", args=[consultation.slug])),
            ("Themes", back),
            (found.name, ""),
        ),
    }
    return render(request, "engagement/analysis/theme.html", context)


@login_required
@require_safe
def responses_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every submitted response as a spreadsheet: personal data and monitoring answers only for those allowed."""
    consultation = _consultation(slug)
    # One row per response, each with its ward, would let a reader count any group however small: the spreadsheet
    # is for those who run the consultation, never for a ward councillor, who sees the suppressed results.
    if not runs_consultation(request.user, consultation):
        raise PermissionDenied(CSV_NOT_YOURS)
    header, rows = queries.responses_csv(consultation, personal=sees_personal_data(request.user, consultation))
    response = StreamingHttpResponse(queries.csv_chunks(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-responses.csv"'
    return response
