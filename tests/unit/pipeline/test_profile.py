"""Company profile loading: a good profile works; every error names file, row and column."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from pipeline.profile import DEFAULT_SETTINGS, ProfileError, load_profile

PROFILE = """\
name: Foshan Everwin Seating Co., Ltd.
timezone: Asia/Shanghai
working_hours: {start: "09:00", end: "18:00"}
workdays: [Mon, Tue, Wed, Thu, Fri]
catalog: catalog.csv
team: team.csv
"""
CATALOG = """\
sku,name,category,keywords,unit,moq,price_usd
CH-100,Ergonomic Office Chair EW-100,chairs,EW-100; office chair ;task chair,pcs,200,38.50
SF-900,Leather Sofa SF-900,sofas,SF-900;sofa,sets,20,410
"""
TEAM = """\
rep_id,name,email,regions,categories,languages,seniority,capacity_per_day,active
R1,Anna Liu,Anna.Liu@everwin.example,Europe;DE,chairs;sofas,EN;de,3,5,true
R2,Bruno Zhang,bruno@everwin.example,Latin America,chairs,es;pt,1,8,
"""


def write_profile(folder: Path, profile: str = PROFILE, catalog: str = CATALOG, team: str = TEAM) -> Path:
    (folder / "profile.yaml").write_text(profile, encoding="utf-8")
    (folder / "catalog.csv").write_text(catalog, encoding="utf-8")
    (folder / "team.csv").write_text(team, encoding="utf-8")
    return folder / "profile.yaml"


def test_a_good_profile_loads_with_lists_split_and_defaults(tmp_path):
    profile = load_profile(write_profile(tmp_path))
    assert profile.name == "Foshan Everwin Seating Co., Ltd."
    assert (profile.work_start, profile.work_end) == (time(9), time(18))
    assert profile.workdays == ("Mon", "Tue", "Wed", "Thu", "Fri")
    assert str(profile.zone) == "Asia/Shanghai"
    assert profile.catalog["keywords"].iloc[0] == ["EW-100", "office chair", "task chair"]
    assert profile.catalog["moq"].tolist() == [200, 20]
    assert profile.catalog["price_usd"].tolist() == [38.5, 410.0]
    assert profile.categories == ["chairs", "sofas"]
    assert profile.team["email"].iloc[0] == "anna.liu@everwin.example"
    assert profile.team["languages"].iloc[0] == ["en", "de"]
    assert profile.team["regions"].iloc[0] == ["Europe", "DE"]
    assert profile.team["active"].tolist() == [True, True]  # a blank "active" means active
    assert profile.settings == DEFAULT_SETTINGS


def test_a_folder_means_its_profile_yaml(tmp_path):
    write_profile(tmp_path)
    assert load_profile(tmp_path).name.startswith("Foshan")


def test_optional_keys_are_merged_over_defaults(tmp_path):
    path = write_profile(tmp_path, PROFILE + "fraud: {penalised_countries: [XX]}\nintro: [We make chairs.]\n")
    settings = load_profile(path).settings
    assert settings["fraud"] == {"penalised_countries": ["XX"]}
    assert settings["intro"] == ["We make chairs."]
    assert settings["routing"] == DEFAULT_SETTINGS["routing"]


@pytest.mark.parametrize(
    ("profile", "words", "column"),
    [
        (PROFILE.replace("timezone: Asia/Shanghai\n", ""), "missing required key 'timezone'", None),
        (PROFILE.replace("Asia/Shanghai", "Asia/Beijing"), "unknown timezone 'Asia/Beijing'", "timezone"),
        (PROFILE.replace('"09:00"', '"9am"'), "expected a time like 09:00, got '9am'", "working_hours.start"),
        (PROFILE.replace('"18:00"', '"08:00"'), "working_hours.end must be after working_hours.start", None),
        (PROFILE.replace("Fri]", "Fri, Funday]"), "unknown workday 'Funday'", "workdays"),
        (PROFILE.replace('{start: "09:00", end: "18:00"}', '"9-18"'), "working_hours", "working_hours"),
        (PROFILE.replace("[Mon, Tue, Wed, Thu, Fri]", "Mon-Fri"), "expected a list of days", "workdays"),
        ("name: [unclosed\n", "not valid YAML", None),
        ("- just\n- a list\n", "expected a mapping", None),
    ],
)
def test_profile_yaml_errors_name_the_file_and_key(tmp_path, profile, words, column):
    path = write_profile(tmp_path, profile)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(str(path))
    assert words in str(caught.value)
    assert caught.value.column == column


BAD_CATALOGS = [
    ("sku,name,category\nCH-1,Chair,chairs\n", 1, None, "missing column(s) keywords, unit, moq, price_usd"),
    (CATALOG + "CH-100,Other chair,chairs,,pcs,1,1\n", 4, "sku", "duplicate sku 'CH-100' (first on row 2)"),
    (CATALOG + "CH-300,,chairs,,pcs,1,1\n", 4, "name", "value is empty"),
    (CATALOG + "CH-300,Stool,stools,,pcs,many,1\n", 4, "moq", "expected a whole number, got 'many'"),
    (CATALOG + "CH-300,Stool,stools,,pcs,10,-2\n", 4, "price_usd", "must not be negative"),
    (CATALOG.splitlines()[0] + "\n", None, None, "the catalog has no products"),
]


@pytest.mark.parametrize(("catalog", "row", "column", "words"), BAD_CATALOGS)
def test_catalog_errors_name_file_row_and_column(tmp_path, catalog, row, column, words):
    path = write_profile(tmp_path, catalog=catalog)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    error = caught.value
    assert (Path(error.path).name, error.row, error.column) == ("catalog.csv", row, column)
    assert words in str(error)
    where = f"catalog.csv, row {row}" + (f", column '{column}'" if column else "") if row else "catalog.csv"
    assert where in str(error)


REP = "Chen Wu,chen@everwin.example,Asia,chairs,zh"
BAD_TEAMS = [
    (TEAM + f"R3,{REP},4,5,true\n", 4, "seniority", "must be 1, 2 or 3, got 4"),
    (TEAM + f"R3,{REP},2,5,maybe\n", 4, "active", "expected true or false"),
    (TEAM + f"R1,{REP},2,5,true\n", 4, "rep_id", "duplicate rep_id 'R1'"),
    (TEAM + "R3,Chen Wu,,Asia,chairs,zh,2,5,true\n", 4, "email", "value is empty"),
    (TEAM + f"R3,{REP},2,five,true\n", 4, "capacity_per_day", "whole number"),
]


@pytest.mark.parametrize(("team", "row", "column", "words"), BAD_TEAMS)
def test_team_errors_name_file_row_and_column(tmp_path, team, row, column, words):
    path = write_profile(tmp_path, team=team)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    error = caught.value
    assert (Path(error.path).name, error.row, error.column) == ("team.csv", row, column)
    assert words in str(error)


def test_missing_files_are_named(tmp_path):
    with pytest.raises(ProfileError, match="profile file not found"):
        load_profile(tmp_path / "nowhere.yaml")
    path = write_profile(tmp_path)
    (tmp_path / "team.csv").unlink()
    with pytest.raises(ProfileError, match=r"team\.csv: file not found"):
        load_profile(path)


def test_a_catalog_that_is_not_utf8_is_a_profile_error(tmp_path):
    path = write_profile(tmp_path)
    (tmp_path / "catalog.csv").write_bytes(CATALOG.replace("Leather", "Cuir br\xfbl\xe9").encode("latin-1"))
    with pytest.raises(ProfileError, match=r"catalog\.csv.*not UTF-8"):
        load_profile(path)
