"""Incubator pages against the demo (coopkit.demo_incubator): the coach's list and project
page, a founder's vote and pledge, the launch refused with its reason, the statutes, and
the public directory of launched coops."""

from __future__ import annotations

import re

from tests.conftest import Client
from tests.test_web import COACH, assert_no_leak, csrf_from, main_of, signed_in_as

EN = {"Accept-Language": "en"}
FOUNDER = "velo.ana@demo.coopkit.test"  # a founder of both demo projects
PROJECT = re.compile(r'href="(/t/demo-incubator/incubator/[0-9a-f-]{36})">([^<]+)</a>')


def projects(client: Client) -> dict[str, str]:
    listing = client.get("/t/demo-incubator/incubator", headers=EN)
    assert listing.status_code == 200, listing.text
    return {name: path for path, name in PROJECT.findall(listing.text)}


def test_coach_follows_the_projects_and_the_launch_is_refused_with_its_reason(
    client: Client,
) -> None:
    signed_in_as(COACH, client)
    found = projects(client)
    assert set(found) == {"Vélo Solidaire", "Fournil Partagé"}
    fournil = client.get(found["Fournil Partagé"], headers=EN)
    body = main_of(fournil.text)
    assert "Feasibility" in body
    assert "Close the decision and count it" in body  # the open GO/STOP decision
    assert body.count('class="founder"') == 3
    # The project is at feasibility: the launch names what stands in the way.
    refused = client.post(
        found["Fournil Partagé"] + "/launch",
        data={"_csrf_token": csrf_from(fournil.text)},
        headers=EN,
    )
    assert refused.status_code == 200  # redirected back to the project page
    assert "feasibility stage: a project is launched from registration" in refused.text
    assert_no_leak(refused)


def test_a_founder_votes_and_pledges(client: Client) -> None:
    signed_in_as(FOUNDER, client)
    fournil = projects(client)["Fournil Partagé"]
    before = client.get(fournil, headers=EN)
    voted = client.post(
        fournil + "/decision/vote",
        data={"_csrf_token": csrf_from(before.text), "choice": "go"},
        headers=EN,
    )
    assert "Your vote is recorded." in voted.text
    assert "1 of 3 founders have voted." in voted.text
    again = client.post(
        fournil + "/decision/vote",
        data={"_csrf_token": csrf_from(voted.text), "choice": "stop"},
        headers=EN,
    )
    assert "Refused:" in again.text  # one ballot per founder
    pledged = client.post(
        fournil + "/pledge",
        data={"_csrf_token": csrf_from(again.text), "share_class": "A", "quantity": "6"},
        headers=EN,
    )
    assert "Your pledge is recorded." in pledged.text
    # Pledges 6 + 2 + 1 shares of 50.00 = 450.00.
    assert "450.00" in main_of(pledged.text)


def test_a_founder_reads_the_draft_statutes(client: Client) -> None:
    signed_in_as(FOUNDER, client)
    velo = projects(client)["Vélo Solidaire"]
    preview = client.get(velo + "/statutes", headers=EN)
    assert preview.status_code == 200
    assert "Ana Velasco" in preview.text
    assert "3/4" in preview.text  # CSA art. 6:85, a change of the statutes
    assert '<p class="draft">' in preview.text


def test_the_directory_lists_launched_coops_without_signing_in(client: Client) -> None:
    directory = client.get("/directory/coops", headers=EN)
    assert directory.status_code == 200
    body = main_of(directory.text)
    assert body.count('class="coop"') == 1
    assert 'href="/t/demo-velo"' in body
    assert "Repairing, renting and selling bicycles" in body
    assert "Fournil" not in body  # not launched


def test_launched_coop_has_its_founders_as_members(client: Client) -> None:
    signed_in_as(FOUNDER, client)
    shares = client.get("/t/demo-velo/my-shares", headers=EN)
    assert shares.status_code == 200
    assert "200.00" in main_of(shares.text)  # 4 shares of 50.00 pledged, registered at launch


def test_someone_else_sees_no_project(client: Client) -> None:
    signed_in_as("bram.peeters@demo.coopkit.test", client)  # not in the incubator
    assert client.get("/t/demo-incubator/incubator").status_code == 404


def test_a_founder_uploads_a_document_and_downloads_it_back(client: Client) -> None:
    signed_in_as(FOUNDER, client)
    fournil = projects(client)["Fournil Partagé"]
    before = client.get(fournil, headers=EN)
    assert 'name="document"' in before.text  # the upload form of the current stage
    uploaded = client.post(
        fournil + "/documents",
        data={"_csrf_token": csrf_from(before.text)},
        files={"document": ("market study.csv", b"flour;price\nrye;1.20\n", "text/csv")},
        headers=EN,
    )
    assert "Document kept with the stage." in uploaded.text
    link = re.search(
        r'href="(' + re.escape(fournil) + r'/documents/[0-9a-f-]{36})">market study.csv<',
        uploaded.text,
    )
    assert link is not None
    download = client.get(link.group(1))
    assert download.content == b"flour;price\nrye;1.20\n"
    assert (
        download.headers["content-disposition"] == "attachment; filename*=UTF-8''market%20study.csv"
    )
    assert download.headers["x-content-type-options"] == "nosniff"
    empty = client.post(
        fournil + "/documents",
        data={"_csrf_token": csrf_from(uploaded.text)},
        files={"document": ("empty.pdf", b"", "application/pdf")},
        headers=EN,
    )
    assert "Refused: empty.pdf is empty: attach the file itself" in empty.text
