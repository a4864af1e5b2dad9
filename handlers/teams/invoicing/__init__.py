"""Invoices in Teams: "invoice acme" offers the person's closed-won deals; a deal opens the invoice
form as a dialog (task module: ``task/fetch`` → form, ``task/submit`` → ``InvoicingService.submit``);
the approval card goes to ``teams.finance_conversation`` with Approve / Reject / Edit
(``Action.Execute``, the card replaced in place); the rep hears the outcome in their 1:1 chat."""
