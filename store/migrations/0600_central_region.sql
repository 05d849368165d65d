-- Central organs (国家信访局, 中共中央办公厅) get the region 中央 instead of
-- none: the store recomputes the region of every entity that has none
-- when it opens (fillRegions), so clear the empty ones.
UPDATE entities SET region = NULL WHERE region = '';
