package main

// extraCommands lists the commands of the store, crawl and check parts.
func extraCommands() []command { return nil }
