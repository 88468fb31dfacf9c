# The read rules keep no rows of their own: the stored answers are answers.models.StoredAnswer.
