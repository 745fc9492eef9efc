"""The analysis area's tables: the kept tallies of each consultation's results (so a results page reads a few
hundred rows whatever the number of responses), which responses they count, and the themes officers tag free-text
answers with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Answer, Consultation, Question, Response

EVERY_WARD = 0  # a tally not split by ward
WARD_NOT_KNOWN = -1  # respondents who gave no ward
ANSWERED = -1  # a tally's `option` for "answered the question at all"
OUTSIDE = 0  # a pin's `option` when it is outside every ward


class Tally(models.Model):
    """How many respondents in one group gave one answer to one question.

    The group: everyone (ward 0, no field), a ward (its id, or -1 for not known), one monitoring question's answer
    (field and value; value "" for not answered), or a ward with one monitoring answer. The answer: `option` is an
    option's position, a scale point, or, for a pin, the id of the ward it is in (0 outside every ward); -1 counts
    those who answered at all; `rank` is the place (1, 2...) an option was put in for a ranking, else 0."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    option = models.IntegerField()
    rank = models.PositiveSmallIntegerField(default=0)
    ward = models.IntegerField(default=EVERY_WARD)
    field = models.CharField(max_length=20, blank=True, default="")
    value = models.CharField(max_length=40, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "option", "rank", "ward", "field", "value"], name="one_tally_per_answer_and_group"
            )
        ]
        indexes = [models.Index(fields=["consultation", "field", "ward"], name="tally_view")]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.option}: {self.count}"


class GroupSize(models.Model):
    """How many respondents are in one group (see Tally for the groups)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="group_sizes")
    ward = models.IntegerField(default=EVERY_WARD)
    field = models.CharField(max_length=20, blank=True, default="")
    value = models.CharField(max_length=40, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "ward", "field", "value"], name="one_size_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.ward}/{self.field}={self.value}: {self.count}"


class CountedResponse(models.Model):
    """A submitted response already in the tallies: counting it again does nothing."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, primary_key=True, related_name="counted")
    counted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Counted {self.response_id}"


class AnswerTheme(models.Model):
    """A theme officers find in a consultation's free-text answers ('Parking', 'Trees')."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answer_themes")
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "name"]
        constraints = [models.UniqueConstraint(fields=["consultation", "name"], name="one_theme_name_per_consultation")]

    def __str__(self) -> str:
        return self.name


class AnswerTag(models.Model):
    """A free-text answer tagged with a theme: by whom and when."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="tags")
    theme = models.ForeignKey(AnswerTheme, on_delete=models.CASCADE, related_name="tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "theme"], name="one_tag_per_answer_and_theme")]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.theme_id}"
