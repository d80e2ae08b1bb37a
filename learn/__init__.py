"""New-hire training: learning paths from kb/paths.yaml and self-check quizzes whose
every question, answer and explanation is taken from the articles themselves."""
