"""The safety settings: the due-soon window and the Accordo's date of entry into force."""

from datetime import date

import pytest

from training_hub.core.settings import SettingsError, load_settings


def test_safety_defaults(monkeypatch):
    monkeypatch.delenv("TRAINING_HUB_SAFETY_DUE_SOON_DAYS", raising=False)
    monkeypatch.delenv("TRAINING_HUB_ASR_2025_IN_FORCE", raising=False)
    settings = load_settings()
    assert settings.safety_due_soon_days == 90
    assert settings.asr_2025_in_force == date(2025, 5, 24)


def test_safety_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_SAFETY_DUE_SOON_DAYS", "30")
    monkeypatch.setenv("TRAINING_HUB_ASR_2025_IN_FORCE", "2025-05-19")
    settings = load_settings()
    assert (settings.safety_due_soon_days, settings.asr_2025_in_force) == (30, date(2025, 5, 19))


def test_a_bad_entry_into_force_date_is_reported(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_ASR_2025_IN_FORCE", "19/05/2025")
    with pytest.raises(SettingsError, match="TRAINING_HUB_ASR_2025_IN_FORCE"):
        load_settings()
