"""What the chat adapters (``handlers/slack``, ``handlers/teams``) share and that belongs to neither:
the question and which answer it asks for, the desks the composition root builds for the answers,
and the words both chats show before any markup (Block Kit mrkdwn, Adaptive Card markdown)."""
