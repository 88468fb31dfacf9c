from django.db import models


class SharedCacheEntry(models.Model):
    """
    The table of Django's database cache, which production uses when there is no Redis
    (cms/settings/production.py): every worker and every app server then shares one response
    cache and one content version. Declared as a model so that `migrate` creates it on every
    database, with the columns `manage.py createcachetable` would make; Django's cache reads and
    writes it with its own SQL, nothing else touches it.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "newsroom_cache"
        default_permissions = ()

    def __str__(self):
        return self.cache_key
