"""Vote pages: one resolution with the widget of its method (stance buttons, option radio,
ranking with numbered selects, scores), the votes for the members whose proxy I hold and
the result; for staff an online vote on its own, a show of hands and closing the vote."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.governance import assemblies as assembly_service
from coopkit.governance.closing import close_resolution, result_of
from coopkit.governance.errors import GovernanceError, ResultsHidden
from coopkit.governance.resolutions import ResolutionDraft, create_resolution, get_resolution
from coopkit.governance.tally import Stance
from coopkit.governance.voting import cast_vote, has_voted, proxies_held, record_show_of_hands
from coopkit.i18n import _
from coopkit.web.access import member_only, staff_only, visitor
from coopkit.web.pages.assemblies import REFUSED, Form, _act, _moment, names_of
from coopkit.web.templating import flash, page
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]
VOTE = "/t/{slug:str}/votes/{resolution_id:uuid}"
# The stance buttons of each method, labelled for translation.
STANCES = {
    "proposal": [
        (Stance.AGREE.value, _("Agree")),
        (Stance.ABSTAIN.value, _("Abstain")),
        (Stance.DISAGREE.value, _("Disagree")),
        (Stance.BLOCK.value, _("Block")),
    ],
    "consent": [
        (Stance.CONSENT.value, _("Consent")),
        (Stance.ABSTAIN.value, _("Abstain")),
        (Stance.OBJECT.value, _("Object")),
    ],
}


def _back(slug: str, resolution_id: uuid.UUID) -> Redirect:
    return Redirect(f"/t/{slug}/votes/{resolution_id}")


@get(VOTE, guards=[member_only], include_in_schema=False, sync_to_thread=True)
def vote_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], resolution_id: FromPath[uuid.UUID]
) -> Template:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    resolution = get_resolution(db, resolution_id)
    assembly = (
        assembly_service.get_assembly(db, resolution.assembly_id)
        if resolution.assembly_id
        else None
    )
    represented = []
    if assembly is not None:
        for proxy in proxies_held(db, assembly, who.user_id):
            if not has_voted(db, resolution, proxy.principal_id):
                name = names_of(db, [proxy.principal_id]).get(proxy.principal_id, "?")
                represented.append((proxy.principal_id, name))
    try:
        result, hidden = result_of(db, who.tenant, resolution.id), False
    except ResultsHidden:
        result, hidden = None, True
    now = utcnow()
    return page(
        request,
        "vote_page.html",
        resolution=resolution,
        assembly=assembly,
        stances=STANCES.get(resolution.method, []),
        voted=has_voted(db, resolution, who.user_id),
        represented=represented,
        running=resolution.opens_at <= now < resolution.closes_at and not resolution.closed,
        result=result,
        hidden=hidden,
        documents=assembly_service.documents_of(db, resolution=resolution),
        is_staff=is_staff(request),
    )


def choice_from_form(method: str, form: dict[str, str]) -> Any:
    """The choice a vote form carries: ``choice``; ``rank_<option>`` numbers; ``score_<option>``."""
    if method == "ranked":
        ranks = {
            key.removeprefix("rank_"): value
            for key, value in form.items()
            if key.startswith("rank_") and value.strip()
        }
        if len(set(ranks.values())) != len(ranks):
            raise GovernanceError("give each option a different rank", field="choice")
        try:
            return [option for option, _rank in sorted(ranks.items(), key=lambda i: int(i[1]))]
        except ValueError:
            raise GovernanceError("ranks are numbers", field="choice") from None
    if method == "score":
        try:
            return {
                key.removeprefix("score_"): int(value)
                for key, value in form.items()
                if key.startswith("score_")
            }
        except ValueError:
            raise GovernanceError("scores are whole numbers from 0 to 5", field="choice") from None
    return form.get("choice", "")


@post(f"{VOTE}/vote", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def vote_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
    data: Form,
) -> Redirect:
    form = {key: str(value) for key, value in data.items()}
    me = visitor(request).user_id
    assert me is not None

    def vote() -> None:
        resolution = get_resolution(db, resolution_id)
        principal = form.get("on_behalf_of", "")
        cast_vote(
            db,
            resolution_id,
            me,
            choice_from_form(resolution.method, form),
            principal_id=uuid.UUID(principal) if principal else None,
        )

    try:
        vote()
    except (*REFUSED, ValueError) as error:
        flash(request, _("Your vote was not recorded: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Your vote is recorded."), "info")
    return _back(slug, resolution_id)


@post(f"{VOTE}/hands", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def hands_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
    data: Form,
) -> Redirect:
    form = {key: str(value) for key, value in data.items()}

    def record() -> None:
        try:
            counts = {
                key.removeprefix("count_"): int(value or 0)
                for key, value in form.items()
                if key.startswith("count_")
            }
            present = int(form.get("present") or 0)
        except ValueError:
            raise GovernanceError("counts are whole numbers of hands", field="counts") from None
        record_show_of_hands(db, resolution_id, counts, present, visitor(request).user_id)

    _act(request, record, _("Show of hands recorded."))
    return _back(slug, resolution_id)


@post(f"{VOTE}/close", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def close_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], resolution_id: FromPath[uuid.UUID]
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    tenant = who.tenant
    _act(
        request,
        lambda: close_resolution(db, tenant, resolution_id, who.user_id, utcnow()),
        _("The vote is closed and counted."),
    )
    return _back(slug, resolution_id)


@post(
    "/t/{slug:str}/votes/create", guards=[staff_only], include_in_schema=False, sync_to_thread=True
)
def online_vote_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: Form
) -> Redirect:
    """An online vote between assemblies, on its own."""
    form = {key: str(value) for key, value in data.items()}
    try:
        resolution = create_resolution(
            db,
            ResolutionDraft(
                title=form.get("title", ""),
                description=form.get("description", ""),
                method=form.get("method", "proposal"),
                options=form.get("options", "").splitlines(),
                secret=form.get("secret") == "on",
                hidden_results=form.get("hidden_results") == "on",
                opens_at=_moment(form.get("opens_at", ""), "opens_at"),
                closes_at=_moment(form.get("closes_at", ""), "closes_at"),
            ),
            visitor(request).user_id,
        )
    except REFUSED as error:
        flash(request, _("Refused: %(reason)s"), "error", reason=str(error))
        return Redirect(f"/t/{slug}/assemblies")
    flash(request, _("Online vote %(title)s created."), "info", title=resolution.title)
    return _back(slug, resolution.id)


VOTE_PAGES = [vote_page, vote_form, hands_form, close_form, online_vote_form]
