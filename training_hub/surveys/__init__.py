"""Satisfaction surveys: one short questionnaire per course, anonymous by construction.

Life of a survey
    :func:`~.lifecycle.open_due_surveys` opens a survey for every course whose last session has ended
    (published or completed, ended at most ``OPEN_WITHIN_DAYS`` ago, with confirmed participants), invites the
    confirmed participants and notifies them; :func:`~.lifecycle.remind_unanswered` reminds those who have not
    answered, once, ``REMIND_AFTER_DAYS`` after opening (the office can send that one reminder earlier
    from /admin/surveys); the survey closes ``OPEN_DAYS`` after opening, or as soon as everybody has
    answered. :func:`~.lifecycle.run_survey_jobs` does all three: the server's background loop and the
    ``training-hub open-surveys`` command call it.

Anonymity, and why the tables look the way they do
    * ``survey_invitation`` says who was asked and a yes/no *answered* flag: no time, no link to the
      response. It is what lets the office see who has not answered yet, to remind them.
    * ``survey_response`` has a random UUID key (no sequence whose order could be matched with the
      order in which invitations were ticked) and no timestamp at all, not even a date: on a day when
      only one person answered, a date would identify them. ``survey_answer`` hangs off the response.
    * Marking the invitation and storing the response happen in one transaction, so a double submission
      is refused (the invitation is flipped with ``UPDATE … WHERE answered = false``: only one request
      can win it) and a failed one leaves nothing behind.
    * Results (averages, distributions, comments) are shown only once the survey is **closed** and at
      least ``MIN_RESPONSES`` people answered. Both conditions matter: with fewer answers a trainer could
      recognise a person; while the survey is open the office, who sees the not-answered list shrink,
      could compare the results before and after one person's answer and isolate it. A closed survey
      never changes again. Below the threshold the figures are not even read from the database.
    * The same minimum holds for each question: one added, or switched on or off, while a survey was
      open was asked only to those who answered afterwards, and the office knows who they are. A
      free-text question leaves an empty answer row when left blank, so it too counts who was asked.
      Every aggregate (a course, a trainer, a path kind, the activity reports) is built only from
      (survey, question) groups of at least ``MIN_RESPONSES`` answers.
    * Comments are listed sorted alphabetically, never in the order they arrived, and never next to
      anything about a person. No page, export or API returns a response id.
    * What is left is outside the application: someone with direct SQL access could still compare
      physical row order, the serial ids of ``survey_answer`` rows, or PostgreSQL's ``xmin`` of the rows
      written in the same transaction. The database's operators are bound by the consortium's
      confidentiality rules; no interface exposes any of it.

Modules
    :mod:`.questions` (the question set), :mod:`.lifecycle` (opening, reminding, closing),
    :mod:`.answering` (the invited person's one response), :mod:`.results` (results and the office's
    overview), :mod:`.access` (loading a survey, whether it is closed, who may do what).
"""
