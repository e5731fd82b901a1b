extension StepContext {
    /// A context for one branch of work inside this step (one of several tool calls made side by
    /// side, a called agent's conversation) whose effects are journaled under `STEP/name`.
    ///
    /// Effects are numbered in call order within a journal, so work that runs concurrently needs a
    /// journal of its own: with a deterministic `name` (the turn and the call's position), a
    /// re-executed step finds each branch's results again whatever order the branches run in.
    /// Its recorded events are handed back with ``merge(_:)``, in an order the caller chooses.
    func branch(_ name: String) -> StepContext {
        StepContext(
            run: run, step: step + "/" + name, node: node, attempt: attempt, state: state, input: input,
            item: item, index: index, journal: StepJournal(store: journal.store, run: run, step: step + "/" + name),
            previousFailures: previousFailures, ledger: ledger, loops: loops, governance: governance
        )
    }

    /// Adds the events `branch` recorded to this step's, after those recorded so far.
    func merge(_ branch: StepContext) {
        for event in branch.journal.takeEvents() { journal.append(event) }
    }
}
