"""The trainer's test editor as an HTML form without JavaScript: numbered question blocks.

Each block ``n`` (from 1) has a text (``q{n}-text``), a few choice fields (``q{n}-choice{k}``, ``k``
from 0), a "correct" check box per choice (``q{n}-correct`` with value ``k``) and a "remove" box
(``q{n}-remove``). Empty choice fields are not choices; an empty block is ignored, so "add questions"
simply shows more empty blocks. The service's errors (``questions.2.correct``) come back next to the
block they are about (``q3``). This module only translates between the form and the service's input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from training_hub.assessment.scoring import MAX_CHOICES, MAX_QUESTIONS, QuestionInput
from training_hub.assessment.store import StoredTest
from training_hub.core.errors import DomainError
from training_hub.core.i18n import gettext
from training_hub.web.responses import as_list

MIN_CHOICE_SLOTS = 4
NEW_BLOCKS = 5  # empty blocks added by "add questions", and shown under a new test


@dataclass
class EditorForm:
    """The blocks to show: ``values`` by field name, ``slots`` (choice fields) per block, the block count."""

    values: dict[str, Any]
    count: int
    slots: dict[int, int]

    def choice_slots(self, number: int) -> range:
        return range(self.slots.get(number, MIN_CHOICE_SLOTS))

    def checked(self, number: int, slot: int) -> bool:
        return str(slot) in as_list(self.values.get(f"q{number}-correct"))


def _slots_for(filled: int) -> int:
    return min(MAX_CHOICES, max(MIN_CHOICE_SLOTS, filled + 1))


def form_from_test(test: StoredTest | None, *, extra_blocks: int = 0) -> EditorForm:
    """The form showing a stored test (or an empty one), plus ``extra_blocks`` empty blocks."""
    values: dict[str, Any] = {}
    slots: dict[int, int] = {}
    questions = test.questions if test else ()
    for number, stored in enumerate(questions, start=1):
        question = stored.question
        values[f"q{number}-text"] = question.text
        for slot, choice in enumerate(question.choices):
            values[f"q{number}-choice{slot}"] = choice
        values[f"q{number}-correct"] = [str(index) for index in question.correct]
        slots[number] = _slots_for(len(question.choices))
    if test is not None:
        values["pass_percent"] = str(test.pass_percent)
        values["attempts_allowed"] = str(test.attempts_allowed)
    count = len(questions) + extra_blocks
    for number in range(len(questions) + 1, count + 1):
        slots[number] = MIN_CHOICE_SLOTS
    return EditorForm(values=values, count=count, slots=slots)


def _block_count(data: Mapping[str, Any]) -> int:
    try:
        count = int(str(data.get("count") or "0"))
    except ValueError:
        count = 0
    return max(0, min(count, MAX_QUESTIONS + NEW_BLOCKS))


def form_from_post(data: Mapping[str, Any], *, extra_blocks: int = 0) -> EditorForm:
    """The form as submitted (to show it again), plus ``extra_blocks`` empty blocks."""
    count = _block_count(data)
    slots: dict[int, int] = {}
    for number in range(1, count + 1):
        shown = sum(1 for key in data if key.startswith(f"q{number}-choice"))
        filled = sum(1 for slot in range(MAX_CHOICES) if str(data.get(f"q{number}-choice{slot}") or "").strip())
        slots[number] = min(MAX_CHOICES, max(shown, _slots_for(filled)))
    for number in range(count + 1, count + extra_blocks + 1):
        slots[number] = MIN_CHOICE_SLOTS
    values = {key: value for key, value in data.items() if key not in ("count", "_csrf_token", "action")}
    return EditorForm(values=values, count=count + extra_blocks, slots=slots)


def questions_from_post(data: Mapping[str, Any]) -> tuple[list[QuestionInput], list[int]]:
    """The questions of the submitted form, and the block number of each (empty and removed blocks
    are left out). A correct box ticked on an empty choice field is passed on as its letter, which
    the service reports as "not among the choices written"."""
    questions: list[QuestionInput] = []
    blocks: list[int] = []
    for number in range(1, _block_count(data) + 1):
        if data.get(f"q{number}-remove"):
            continue
        text = str(data.get(f"q{number}-text") or "")
        raw_choices = [str(data.get(f"q{number}-choice{slot}") or "") for slot in range(MAX_CHOICES + 1)]
        if not text.strip() and not any(choice.strip() for choice in raw_choices):
            continue
        index_of: dict[int, int] = {}
        choices: list[str] = []
        for slot, choice in enumerate(raw_choices):
            if choice.strip():
                index_of[slot] = len(choices)
                choices.append(choice)
        correct: list[Any] = []
        for value in as_list(data.get(f"q{number}-correct")):
            slot = int(value) if value.isascii() and value.isdigit() and len(value) < 3 else -1
            correct.append(index_of[slot] if slot in index_of else (chr(ord("A") + slot) if 0 <= slot < 26 else value))
        questions.append(QuestionInput(text=text, choices=choices, correct=correct))
        blocks.append(number)
    return questions, blocks


def errors_by_block(exc: DomainError, blocks: list[int]) -> dict[str, str]:
    """The service's errors for the form: ``questions.2.correct`` goes next to its block (``q{block}``,
    several messages of a block joined) and says "Domanda {block}", the number the trainer sees even
    when blocks above were removed or left empty; other fields stay as they are."""
    rendered = exc.field_errors
    out: dict[str, str] = {}
    for key, message in exc.errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "questions" and parts[1].isdigit() and int(parts[1]) < len(blocks):
            block = blocks[int(parts[1])]
            params = {**exc.params, **getattr(message, "params", {}), "number": block}
            text = gettext(message) % params
            name = f"q{block}"
            out[name] = f"{out[name]} {text}" if name in out else text
        else:
            out[key] = rendered[key]
    if not out:
        out["__all__"] = exc.detail
    return out
