"""Where the database lives: --db, then SOCIABLE_DATABASE_URL, then the user's data directory."""
from sociable.config import ENV_DATABASE_URL, resolve_database


def test_flag_then_environment_then_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_DATABASE_URL, "postgresql://u@h/db")
    assert resolve_database("given.db") == "given.db"
    assert resolve_database(None) == "postgresql://u@h/db"
    monkeypatch.delenv(ENV_DATABASE_URL)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = resolve_database(None)
    assert path == str(tmp_path / "sociable" / "sociable.db")
    assert (tmp_path / "sociable").is_dir()
