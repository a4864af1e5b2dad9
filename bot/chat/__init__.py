"""Chat composition: the Slack (Bolt) app built from a ``Paidup``, its run modes, and the small
stores the chat side needs (events already answered)."""
