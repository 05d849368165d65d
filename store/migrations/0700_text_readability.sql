-- Whether a document's text reads (yusuan.Document.TextUnreadable and
-- GarbledChars), as columns for the export and the web UI; the extract
-- blob holds them too. Stored documents get them on reextract.
ALTER TABLE documents ADD COLUMN text_unreadable INTEGER NOT NULL DEFAULT 0 CHECK (text_unreadable IN (0, 1));
ALTER TABLE documents ADD COLUMN garbled_chars INTEGER NOT NULL DEFAULT 0;
