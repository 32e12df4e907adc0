"""The judgement: re-judging, training, labels, explanations and member links."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.text import Text

from assistant import pipeline
from assistant.commands.base import (
    App,
    parse_when,
    pass_app,
    progress_reporter,
)

# ------------------------------------------------------------------ judgement


@click.command()
@click.option("--since", help="Only threads created since this date (2026-11-01 or 30d).")
@pass_app
def classify(app: App, since: str | None) -> None:
    """Re-judge stored threads with the current models and playbook.

    Example: beachhead classify --since 30d
    """
    now = app.now()
    ids = None
    if since:
        since_at = parse_when(since, now)
        if since_at > now:
            since_at = now - (since_at - now)
        ids = [
            row[0]
            for row in app.store.conn.execute(
                "SELECT id FROM threads WHERE created_at >= ? ORDER BY id", (since_at.isoformat(),)
            )
        ]
    bar, report = progress_reporter(app.err)
    with bar:
        judged = pipeline.judge_threads(app.store, app.playbook, ids, now=now, progress=report)
    click.echo(
        f"Judged {judged.classified} threads; {judged.groups_touched} groups updated; "
        f"{len(judged.queued)} newly queued."
    )




# ------------------------------------------------------------------ models


@click.command()
@pass_app
def train(app: App) -> None:
    """Retrain the models on every stored label, then re-judge all threads.

    Example: beachhead train
    """
    from assistant import models as model_store

    trained = model_store.retrain(app.store, app.playbook)
    bar, report = progress_reporter(app.err)
    with bar:
        judged = pipeline.judge_threads(app.store, app.playbook, now=app.now(), models=trained,
                                        progress=report)
    counts = ", ".join(
        f"{name} {sum(values.values())}" for name, values in trained.label_counts.items()
    )
    click.echo(f"Retrained the models ({trained.version}: {counts}); "
               f"re-judged {judged.classified} threads.")
    folder = model_store.models_dir(app.store)
    if folder is not None:
        click.echo(f"Models saved in {folder}")


@click.command()
@click.argument("thread_ref")
@click.argument("value")
@click.option("--note", help="Free text kept with the label.")
@click.option("--as", "author", help="Who labels (default $USER).")
@pass_app
def label(app: App, thread_ref: str, value: str, note: str | None, author: str | None) -> None:
    """Label a thread's category or kind, or its asker's user type.

    VALUE is a category (pervasive_solvable, unrewarded, unsolvable,
    not_a_problem), a kind (bug, howto, feature_request, other) or a user type
    (customer, channel_partner, complementor, competitor, expert, vendor_staff,
    unknown). The label wins over the models at once and trains them at the
    next `beachhead train`.

    Example: beachhead label kestrel-forum:7012 unsolvable --note "vendor-side bug"
    """
    from assistant import labels as label_service

    added = label_service.add_label(app.store, thread_ref, value, note=note, now=app.now(),
                                    author=author or os.environ.get("USER"))
    ids = [added.thread_id] if added.thread_id else None
    pipeline.judge_threads(app.store, app.playbook, ids, now=app.now())
    click.echo(f"Labelled {added.target} {added.kind} = {added.value} (label #{added.id})")


@click.group(name="labels")
def labels_group() -> None:
    """Every label, to and from a CSV spreadsheet."""


@labels_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@pass_app
def labels_export(app: App, path: str) -> None:
    """Write every label to a CSV file.

    Example: beachhead labels export labels.csv
    """
    from assistant import labels as label_service

    count = label_service.export_csv(app.store, Path(path))
    click.echo(f"Wrote {count} labels to {path}")


@labels_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--as", "author", help="Author for rows without one (default $USER).")
@pass_app
def labels_import(app: App, path: str, author: str | None) -> None:
    """Add the labels of a CSV file (columns thread, member, kind, value;
    optional source, author, note, created_at). Nothing is stored unless every
    row is valid; re-importing the same file adds nothing.

    Example: beachhead labels import labels.csv
    """
    from assistant import labels as label_service

    result = label_service.import_csv(app.store, Path(path), now=app.now(),
                                      author=author or os.environ.get("USER"))
    click.echo(f"Imported {result.added} labels ({result.unchanged} already there).")


@click.command(name="explain")
@click.argument("thread_ref")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@pass_app
def explain_command(app: App, thread_ref: str, as_json: bool) -> None:
    """Every reason behind a thread's category and priority.

    Example: beachhead explain kestrel-forum:7012
    """
    import json as json_module

    from assistant.explain import explain

    found = explain(app.store, thread_ref)
    if as_json:
        click.echo(json_module.dumps(found.as_dict(), indent=2, ensure_ascii=False, default=str))
        return
    out = app.console
    out.print(Text(found.title, style="bold"), soft_wrap=True)
    out.print(f"{found.community_id}:{found.native_id}  {found.url or ''}", highlight=False,
              markup=False, soft_wrap=True)
    chances = ", ".join(f"{k} {v:.0%}" for k, v in sorted(
        found.category_probabilities.items(), key=lambda kv: -kv[1]))
    out.print(f"Category   {found.category} ({chances})", highlight=False, markup=False)
    out.print(f"Kind       {found.kind}; problem {found.problem_probability:.0%}; capability "
              f"{found.capability or 'none'} {found.capability_score:.2f}; language "
              f"{found.language or '?'}", highlight=False, markup=False)
    for reason in found.reasons:
        out.print(f"  - {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.asker:
        asker = found.asker
        out.print(f"Asker      {asker['handle']}: {asker['user_type']} (value "
                  f"{asker['user_value'] or 0:.2f}), country {asker['country'] or '?'}",
                  highlight=False, markup=False)
        for topic, reasons in asker["reasons"].items():
            for reason in reasons if isinstance(reasons, list) else [reasons]:
                out.print(f"  - {topic}: {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.group:
        group = found.group
        out.print(f"Group      #{group['id']} {group['label']}: {group['affected_members']} members "
                  f"in {len(group['countries'])} countries ({', '.join(group['countries'])}), "
                  f"{group['thread_count']} threads", highlight=False, markup=False, soft_wrap=True)
        for reason in group["reasons"]:
            out.print(f"  - {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.priority is not None:
        out.print(f"Priority   {found.priority:.2f}: {found.why}", highlight=False, markup=False,
                  soft_wrap=True)
    if found.queue:
        item = found.queue
        out.print(f"Queue      #{item['id']} {item['state']}, answer by {item['answer_by']}",
                  highlight=False, markup=False)
    for given in found.labels:
        out.print(f"Label      {given['kind']} = {given['value']} by {given['author'] or '?'} "
                  f"({given['source']}, {given['created_at']})", highlight=False, markup=False,
                  soft_wrap=True)
    out.print(f"Model      {found.model_version}", highlight=False, markup=False)


@click.group(name="links")
def links_group() -> None:
    """Accounts of one person in several communities."""


@links_group.command("list")
@click.option("--undone", is_flag=True, help="Show undone links too.")
@pass_app
def links_list(app: App, undone: bool) -> None:
    """Show the member links and why each was made.

    Example: beachhead links list
    """
    from assistant import links

    found = links.list_links(app.store, states=("linked", "undone") if undone else ("linked",))
    if not found:
        click.echo("No member links.")
        return
    for link in found:
        click.echo(f"#{link.id} {link.a} = {link.b} ({link.confidence:.2f}, {link.state}): {link.reason}")


@links_group.command("undo")
@click.argument("link_id", type=int)
@pass_app
def links_undo(app: App, link_id: int) -> None:
    """Undo a wrong link; it is never proposed again.

    Example: beachhead links undo 4
    """
    from assistant import links

    link = links.set_state(app.store, link_id, "undone", app.now())
    pipeline.recount(app.store, app.playbook, now=app.now())
    click.echo(f"#{link.id} {link.a} and {link.b} are two people again")


@links_group.command("restore")
@click.argument("link_id", type=int)
@pass_app
def links_restore(app: App, link_id: int) -> None:
    """Restore a link that was undone.

    Example: beachhead links restore 4
    """
    from assistant import links

    link = links.set_state(app.store, link_id, "linked", app.now())
    pipeline.recount(app.store, app.playbook, now=app.now())
    click.echo(f"#{link.id} {link.a} and {link.b} are one person again")
