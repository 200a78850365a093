import pytest

from training_hub.core.settings import SettingsError, load_settings


def test_production_without_secret_refuses_to_start(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_MODE", "production")
    monkeypatch.delenv("TRAINING_HUB_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="TRAINING_HUB_SECRET_KEY"):
        load_settings()


def test_production_with_short_secret_refuses_to_start(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_MODE", "production")
    monkeypatch.setenv("TRAINING_HUB_SECRET_KEY", "short")
    with pytest.raises(SettingsError, match="troppo corta"):
        load_settings()


def test_demo_mode_generates_a_secret_and_says_so(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_MODE", "demo")
    monkeypatch.delenv("TRAINING_HUB_SECRET_KEY", raising=False)
    settings = load_settings()
    assert settings.secret_key_generated
    assert len(settings.secret_key) >= 32


def test_defaults_and_environment(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_MODE", "dev")
    monkeypatch.delenv("TRAINING_HUB_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRAINING_HUB_BASE_URL", "https://formazione.example.it/")
    settings = load_settings()
    assert settings.database_url == "sqlite:///training_hub.sqlite3"
    assert settings.base_url == "https://formazione.example.it"
    assert settings.secure_cookies


def test_unknown_mode_and_bad_numbers_are_reported(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_MODE", "staging")
    with pytest.raises(SettingsError, match="TRAINING_HUB_MODE"):
        load_settings()
    monkeypatch.setenv("TRAINING_HUB_MODE", "dev")
    monkeypatch.setenv("TRAINING_HUB_LOGIN_MAX_FAILURES", "molti")
    with pytest.raises(SettingsError, match="TRAINING_HUB_LOGIN_MAX_FAILURES"):
        load_settings()
