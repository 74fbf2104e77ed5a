"""Support's email templates (merged into TEMPLATES); values: chalicelib/domain/support/mail.py."""

from __future__ import annotations

_SIGNATURE = "\n-- \nContainerStacks support\n"

SUPPORT_TEMPLATES: dict[str, tuple[str, str]] = {
    "support_new_ticket": (
        "[Support] New $priority ticket from $organization: $subject",
        "$author <$author_email> of $organization opened a ticket.\n\n"
        "Subject:  $subject\nPriority: $priority\nCategory: $category\nAbout:    $resource\n"
        "Ticket:   $ticket_id\n\n$message\n\nAnswer it at $link\n" + _SIGNATURE,
    ),
    "support_customer_reply": (
        "[Support] $author replied: $subject",
        '$author of $organization replied to the ticket "$subject" (priority $priority, now $status).\n\n'
        "$message\n\nAnswer it at $link\n" + _SIGNATURE,
    ),
    "support_ticket_reopened": (
        "[Support] Reopened: $subject",
        '$author of $organization reopened the ticket "$subject" (priority $priority).\n\n'
        "See it at $link\n" + _SIGNATURE,
    ),
    "support_ticket_assigned": (
        "[Support] Assigned to you: $subject",
        '$author assigned the ticket "$subject" of $organization to you (priority $priority, $status).\n\n'
        "See it at $link\n" + _SIGNATURE,
    ),
    "support_admin_reply": (
        "Re: $subject [ticket $ticket_id]",
        'Hello $name,\n\n$author from ContainerStacks support replied to your ticket "$subject":\n\n'
        "$message\n\nThe ticket is $status. Read the whole conversation, reply or close the ticket at\n"
        "$link\n" + _SIGNATURE,
    ),
    "support_status_changed": (
        'Your ticket "$subject" is now $status',
        'Hello $name,\n\n$author changed the status of your ticket "$subject" from $previous_status to '
        "$status.\n\nSee it, reply or reopen it at $link\n" + _SIGNATURE,
    ),
}
