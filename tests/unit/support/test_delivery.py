"""The mail function: delivery, back-off while the server is down, no recipient served twice, nothing lost."""

from __future__ import annotations

from chalicelib.domain.support.entities import RetryPolicy
from tests.unit.support.conftest import SUPPORT_ADDRESS, World

OPERATORS = ["olga.ops@example.com", "sam.support@example.com", SUPPORT_ADDRESS]


def test_an_unreachable_server_delays_mail_with_back_off_and_it_arrives_once_it_answers(world: World) -> None:
    # Given a mail server that does not answer
    world.mailer.down = True
    ticket = world.open()
    # When the mail function runs, Then nothing is sent and the message waits 30 s
    assert world.deliver() == []
    [waiting] = world.outbox.messages.values()
    assert waiting.attempts == 1 and waiting.last_error
    assert (waiting.next_attempt_at - world.clock()).total_seconds() == 30
    # And a run before then does not try again
    world.clock.advance(20)
    assert world.deliver() == [] and next(iter(world.outbox.messages.values())).attempts == 1
    # When the server answers again and the wait is over, Then every operator gets it, once
    world.mailer.down = False
    world.clock.advance(10)
    assert sorted(world.deliver()) == sorted(OPERATORS)
    assert world.outbox.messages == {} and ticket.id in world.mailer.sent[0].values["ticket_id"]
    world.clock.advance(3600)
    assert world.deliver() == []


def test_the_wait_doubles_up_to_the_maximum_and_the_message_is_never_dropped(world: World) -> None:
    world.mailer.down = True
    world.open()
    waits = []
    for _ in range(10):
        world.deliver()
        [message] = world.outbox.messages.values()
        waits.append(int((message.next_attempt_at - world.clock()).total_seconds()))
        world.clock.now = message.next_attempt_at
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert next(iter(world.outbox.messages.values())).attempts == 10


def test_a_recipient_already_served_is_not_mailed_again(world: World) -> None:
    # Given a server that refuses the support address for now
    world.mailer.refused = {SUPPORT_ADDRESS}
    world.open()
    # When the mail function runs, Then the administrators got it
    assert sorted(world.deliver()) == ["olga.ops@example.com", "sam.support@example.com"]
    # When it runs again after the wait, Then only the refused address is tried, and the message is done
    world.mailer.refused = set()
    world.clock.advance(30)
    assert world.deliver() == [SUPPORT_ADDRESS] and world.outbox.messages == {}


def test_a_run_stops_trying_after_a_few_failures_and_leaves_the_rest_for_later(world: World) -> None:
    # Given five tickets' mail and a server that does not answer
    world.mailer.down = True
    for n in range(5):
        world.open(f"ticket {n}")
    # When the mail function runs, Then it gives up after three failed messages (a dead server costs little)
    world.deliver()
    attempts = sorted(m.attempts for m in world.outbox.messages.values())
    assert attempts == [0, 0, 1, 1, 1]
    # When the server is back, Then everything arrives over the next runs
    world.mailer.down = False
    world.clock.advance(30)
    world.deliver()
    assert world.outbox.messages == {} and len(world.mailer.sent) == 5 * len(OPERATORS)


def test_a_message_held_by_one_run_is_not_sent_by_another(world: World) -> None:
    # Given a message another run has claimed (and not finished)
    world.open()
    [message] = world.outbox.due(world.clock(), 10)
    assert world.outbox.claim(message, world.clock() + RetryPolicy().lease()) is not None
    # When a second run starts, Then it sends nothing
    assert world.deliver() == []
    # When the first run died and its lease is over, Then the next run takes the message over
    world.clock.advance(RetryPolicy().lease_seconds)
    assert sorted(world.deliver()) == sorted(OPERATORS)


def test_mail_for_a_user_who_no_longer_exists_is_done_with(world: World) -> None:
    ticket = world.open()
    world.deliver()
    world.desk.reply(world.ops, ticket.id, "Hello?")
    del world.directory.users["ann"]
    assert world.deliver() == [] and world.outbox.messages == {}


def test_every_template_renders_without_leftover_placeholders() -> None:
    from chalicelib.adapters.smtp.templates import render
    from chalicelib.domain.support.mail import TEMPLATES

    values = {
        name: f"<{name}>"
        for name in [
            "ticket_id",
            "subject",
            "priority",
            "category",
            "status",
            "name",
            "author",
            "resource",
            "link",
            "organization",
            "author_email",
            "message",
            "previous_status",
        ]
    }
    for template in TEMPLATES:
        subject, body = render(template, values)
        assert "$" not in subject + body, template
        assert "<link>" in body and "\n" not in subject
