-- Drop the {{ r.name }} table (scaffold remove resource {{ r.name }}, after {{ r.migration.parent }}).
-- Its rows and indexes go with it. The migration that created it stays: an applied migration
-- is never edited or deleted.

DROP TABLE "{{ r.name }}";
