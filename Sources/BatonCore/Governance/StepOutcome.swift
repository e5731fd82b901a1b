/// What an agent's step came to: its answer, or a wait (an approval someone has to decide) before
/// it can go on. A waiting step parks the run; when it is executed again, everything it had done
/// replays from the journal and it goes on from the wait.
public enum StepOutcome: Sendable {
    case finished(JSON)
    case waiting(WaitCondition)
}
