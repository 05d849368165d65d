package main

// extraCommands lists the commands that work on the store.
func extraCommands() []command {
	return []command{ingestCommand(), reextractCommand(), exportCommand(), checkCommand(), verdictCommand(), crawlCommand(), harvestCommand(), demoCommand(), serveCommand(), reportCommand(), workerCommand()}
}
