"""Who sets a path's owner: decided by the paths service, which the path form only shows."""

from tests.factories import make_cooperative, make_path, make_person
from training_hub.catalogue.paths import PathInput, create_path, owner_choice, owner_from_form, update_path
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.tables import TrainingPath

OWN_PATH_NOTE = "Il percorso sarà della tua cooperativa e visibile solo ai suoi soci e lavoratori."


def as_user(person) -> CurrentUser:
    return CurrentUser(id=person.id, email=person.email, full_name=person.full_name, roles=parse_roles(person.roles),
                       cooperative_id=person.cooperative, language="it")


async def test_only_the_office_chooses_the_owner_and_the_form_says_what_happens_otherwise():
    ours = await make_cooperative(name="Coop Aurora")
    await make_cooperative(name="Coop Chiusa", active=False)
    admin = as_user(await make_person("admin"))
    coordinator = as_user(await make_person("coordinator", cooperative=ours))
    teaching_coordinator = as_user(await make_person("coordinator,trainer", cooperative=ours))
    trainer = as_user(await make_person("trainer"))

    office = await owner_choice(admin)
    assert office.may_choose and [c["name"] for c in office.cooperatives] == ["Coop Aurora"]
    assert (await owner_choice(coordinator)) == await owner_choice(coordinator, None)
    assert (await owner_choice(coordinator)).note == OWN_PATH_NOTE and not (await owner_choice(coordinator)).may_choose
    # Whoever also teaches makes the consortium's paths; nobody is told otherwise when editing.
    assert (await owner_choice(teaching_coordinator)).note is None
    assert (await owner_choice(trainer)).note is None
    existing = {"owner_cooperative_id": ours.id}
    assert (await owner_choice(coordinator, existing)).note is None

    # What a submitted form asks for: the office's pick; for anyone else the path keeps its owner.
    assert owner_from_form(admin, str(ours.id), existing) == ours.id
    assert owner_from_form(admin, "", existing) is None
    assert owner_from_form(coordinator, "", existing) == ours.id
    assert owner_from_form(coordinator, "999", None) is None


async def test_the_note_tells_the_truth_about_a_new_path():
    ours = await make_cooperative()
    coordinator = as_user(await make_person("coordinator", cooperative=ours))
    teaching_coordinator = as_user(await make_person("coordinator,trainer", cooperative=ours))
    for user, owner in ((coordinator, ours.id), (teaching_coordinator, None)):
        path = await create_path(user, PathInput(kind="marketing", title=f"Percorso {user.id}",
                                                 owner_cooperative_id=owner_from_form(user, str(ours.id))))
        assert path["owner_cooperative_id"] == owner
        assert ((await owner_choice(user)).note is not None) == (owner is not None)


async def test_a_coordinator_editing_their_path_keeps_its_owner_whatever_the_form_sends(client):
    from tests.support import login, post_form

    ours, theirs = await make_cooperative(), await make_cooperative()
    await make_person("coordinator", cooperative=ours, email="c@example.test")
    path = await make_path("internal_training", title="Interna", owner_cooperative=ours.id)
    await login(client, "c@example.test")
    form = await client.get(f"/trainer/paths/{path.id}/edit")
    assert form.status_code == 200 and 'name="owner_cooperative_id"' not in form.text
    saved = await post_form(client, f"/trainer/paths/{path.id}/edit", {
        "kind": "internal_training", "title": "Interna, rivista", "owner_cooperative_id": str(theirs.id)})
    assert saved.status_code == 303
    row = await TrainingPath.select().where(TrainingPath.id == path.id).first()
    assert (row["title"], row["owner_cooperative"]) == ("Interna, rivista", ours.id)
    # The office alone moves it.
    admin = as_user(await make_person("admin"))
    moved = await update_path(admin, path.id, PathInput(kind="internal_training", title="Interna",
                                                        owner_cooperative_id=owner_from_form(admin, str(theirs.id))))
    assert moved["owner_cooperative_id"] == theirs.id
