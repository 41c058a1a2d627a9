from __future__ import annotations

from pathlib import Path

import pytest

from streamer.settings import DEFAULT_SECRET_KEY, Settings, SettingsError, env_name, load_settings

DOCS = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_defaults_need_no_environment_at_all() -> None:
    settings = load_settings({})
    assert settings.env == "development"
    assert settings.media_root == Path("data/media")
    assert settings.effective_database_url == "sqlite:///data/streamer.db"


def test_values_come_from_streamer_variables_with_types() -> None:
    settings = load_settings({"STREAMER_PORT": "9001", "STREAMER_DATA_DIR": "/srv/s", "OTHER_PORT": "1"})
    assert (settings.port, settings.data_dir, settings.media_root) == (9001, Path("/srv/s"), Path("/srv/s/media"))


def test_media_root_can_live_outside_the_data_dir() -> None:
    assert load_settings({"STREAMER_MEDIA_ROOT": "/mnt/media"}).media_root == Path("/mnt/media")


def test_settings_are_frozen() -> None:
    settings = load_settings({})
    with pytest.raises(ValueError, match="frozen"):
        settings.port = 1  # type: ignore[misc]


def test_an_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / "streamer.env"
    env_file.write_text("STREAMER_PORT=7000\nSTREAMER_HOST=0.0.0.0\n")
    settings = load_settings({"STREAMER_ENV_FILE": str(env_file), "STREAMER_PORT": "7001"})
    assert (settings.host, settings.port) == ("0.0.0.0", 7001)


def test_a_missing_env_file_is_named() -> None:
    with pytest.raises(SettingsError, match="STREAMER_ENV_FILE: no such file /nope"):
        load_settings({"STREAMER_ENV_FILE": "/nope"})


def test_production_refuses_the_default_secret_key() -> None:
    with pytest.raises(SettingsError, match="STREAMER_SECRET_KEY"):
        load_settings({"STREAMER_ENV": "production"})
    assert load_settings({"STREAMER_ENV": "production", "STREAMER_SECRET_KEY": "x" * 40}).secret_key != (
        DEFAULT_SECRET_KEY
    )


def test_a_bad_value_names_the_setting_in_one_line() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"STREAMER_PORT": "eighty"})
    assert str(caught.value).startswith("STREAMER_PORT: ")
    assert "\n" not in str(caught.value)


def test_masked_hides_secrets_and_shows_the_rest() -> None:
    shown = load_settings({"STREAMER_SECRET_KEY": "s" * 32}).masked()
    assert shown["STREAMER_SECRET_KEY"] == "********"
    assert "s" * 32 not in "".join(shown.values())
    assert shown["STREAMER_PORT"] == "8000"


def test_every_setting_has_help_and_is_documented() -> None:
    documented = DOCS.read_text()
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no help text"
        assert f"`{env_name(name, field.alias)}`" in documented, f"{env_name(name, field.alias)} is not documented"
