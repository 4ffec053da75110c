"""The store factory (#34): one object per index that builds it and opens its engine, so the
command line and the app never ask which engine it is."""
import pytest

from index.store import BuildOptions, EmbeddedStore, open_store
from search.engines import StoreSettings
from search.errors import BuildError, ConfigError
from tests.conftest import SAMPLE
from web import SETTINGS, create_app
from web.cli import main


def test_an_embedded_store_builds_then_serves_the_sample(tmp_path):
    store = open_store(StoreSettings(index_dir=str(tmp_path / "ix")))
    assert isinstance(store, EmbeddedStore) and not store.exists()
    summary = store.build([str(SAMPLE)], BuildOptions(progress=False, workers=1))
    assert summary.documents == 5 and store.exists()
    with store.engine() as engine:
        from search.searching import search

        res = search(engine, "حفتر")
        assert res["total"] >= 1 and "حفتر" in res["results"][0]["snippet_html"]
        assert engine.stories() is not None  # the embedded build groups stories
    assert store.settings.where() == str((tmp_path / "ix").resolve())


@pytest.mark.parametrize("argv, says", [
    (["--publish", "b1"], "--publish is for --engine opensearch"),
    (["--part", "1/2", "--build-id", "b1"], "--part and --build-id are for --engine opensearch"),
])
def test_cluster_only_options_on_an_embedded_index_are_a_clear_error(tmp_path, capsys, argv, says):
    """They used to be ignored: ``--publish`` built the whole collection instead."""
    code = main(["index", "--collection", str(SAMPLE), "--index", str(tmp_path / "ix"), "--no-progress", *argv])
    assert code == 1 and says in capsys.readouterr().err
    assert not (tmp_path / "ix" / "current").exists()


def test_an_embedded_store_refuses_what_only_a_cluster_does(tmp_path):
    store = open_store(StoreSettings(index_dir=str(tmp_path / "ix")))
    with pytest.raises(BuildError, match="--publish"):
        store.publish("b1")


def test_store_settings_are_declared_once_and_checked(monkeypatch):
    """The app's settings, its environment variables and the CLI's defaults are the store's."""
    from search.engines.settings import STORE_SETTINGS
    from web import ENVIRONMENT
    from web.cli import build_parser, settings_from_args

    for s in STORE_SETTINGS:
        assert SETTINGS[s.name] == (s.default, s.help) and ENVIRONMENT[s.name] == s.variable
        assert getattr(StoreSettings(), s.field) == s.default
        monkeypatch.setenv(s.variable, "opensearch" if s.field == "engine" else f"from-{s.variable}")
    args = build_parser().parse_args(["search", "x"])
    assert settings_from_args(args) == StoreSettings(engine="opensearch", index_dir="from-AKHBAR_INDEX",
                                                     url="from-AKHBAR_OPENSEARCH_URL",
                                                     index_name="from-AKHBAR_OPENSEARCH_INDEX")
    with pytest.raises(ConfigError, match="unknown engine 'solr'"):
        create_app({"TESTING": True, "ENGINE": "solr"})
    settings = StoreSettings.from_config({"ENGINE": "opensearch", "OPENSEARCH_URL": "https://u:secret@h:9200"})
    assert settings.where() == "akhbar on https://h:9200"  # no credentials in what is shown
