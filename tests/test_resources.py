"""Finding the shipped fonts, templates and icons in a checkout and in an installed layout."""

from __future__ import annotations

import os

import pytest

from irdesk import resources
from irdesk.cli import describe
from tests.conftest import ROOT


def test_a_checkout_uses_the_top_level_resources_folder() -> None:
    assert resources.resource_dir() == os.path.join(ROOT, "resources")
    assert os.path.isfile(resources.resource_path("templates", "evidence.json"))


def test_an_installed_package_uses_its_assets_even_beside_a_resources_folder(tmp_path) -> None:
    package = tmp_path / "site-packages" / "irdesk"
    (package / "assets").mkdir(parents=True)
    (tmp_path / "site-packages" / "resources").mkdir()  # another distribution's folder
    assert resources.locate(str(package)) == str(package / "assets")


def test_a_package_without_its_files_names_where_they_belong(tmp_path) -> None:
    package = tmp_path / "irdesk"
    package.mkdir()
    assert resources.locate(str(package)) == str(package / "assets")


def test_a_missing_file_is_one_sentence_and_exit_1_not_a_bug() -> None:
    with pytest.raises(resources.MissingResource) as caught:
        resources.resource_path("fonts", "NoSuchFont.ttf")
    code, message = describe(caught.value)
    missing = os.path.join(ROOT, "resources", "fonts", "NoSuchFont.ttf")
    assert (code, message) == (1, f"This installation of irdesk lacks {missing}; reinstall irdesk.")
