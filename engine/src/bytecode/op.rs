//! The ops a state compiles to. Every operand is a `u32` index into a side
//! table of the [`super::Program`], so an op is `Copy` and at most 16 bytes.

use super::ids::*;

/// One instruction. A state is a short run of these, starting with [`Op::Enter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// Enter a state: count the transition, note the entered time, reset retry counts,
    /// and keep the state's raw input.
    Enter(StateId),
    /// `InputPath`: effective input = path applied to the raw input.
    InputPath(PathId),
    /// `InputPath: null`: effective input = `{}`.
    InputNull,
    /// `Parameters` / `ItemSelector` on the effective input.
    Parameters(TemplateId),
    /// Pass `Result`: the result is a constant.
    ResultConst(ConstId),
    /// Pass without `Result`: the result is the effective input.
    ResultIsInput,
    /// Task: hand the effective input to a handler; suspends until it completes.
    Invoke(TaskId),
    /// A `.waitForTaskToken` task's attempt begins: draw its token
    /// (`$$.Task.Token`), before `InputPath` and `Parameters` read `$$`.
    TaskToken(TaskId),
    /// Parallel: run the branches as child fibers; suspends until all are done.
    Parallel(ParallelId),
    /// Map: run one child fiber per item; suspends until all are done.
    Map(MapId),
    /// `ResultSelector` on the result.
    ResultSelector(TemplateId),
    /// `ResultPath`: output = raw input with the result written at the path.
    ResultPath(PathId),
    /// `ResultPath: "$"` (the default): output = result.
    ResultRoot,
    /// `ResultPath: null`: output = raw input.
    ResultDiscard,
    /// `OutputPath` on the current value.
    OutputPath(PathId),
    /// `OutputPath: null`: output = `{}`.
    OutputNull,
    /// Choice test: jump to `then` when it holds, else to `otherwise`.
    Test {
        /// The comparison.
        test: TestId,
        /// Target when true.
        then: OpId,
        /// Target when false.
        otherwise: OpId,
    },
    /// Choice with no rule matched and no `Default`.
    NoChoiceMatched,
    /// Wait: suspend until a timer fires.
    Wait(WaitId),
    /// Leave the current state and continue at `target` (the next state's `Enter`).
    Jump(OpId),
    /// End of the block: the current value is the block's output.
    End,
    /// Fail state.
    Fail(FailId),
    /// JSONata `Arguments`: the effective input is the template's value.
    Arguments(QueryId),
    /// JSONata `Output`: the state's output is the template's value.
    Output(QueryId),
    /// `Assign`: evaluate the new variables against the values the state
    /// entered with; they take effect at [`Op::CommitVars`].
    Assign(AssignId),
    /// Make the variables of the last `Assign` current (just before the state is left).
    CommitVars,
    /// JSONata Choice `Condition`: jump to `then` when it is true, else to `otherwise`.
    Condition {
        /// The condition.
        query: QueryId,
        /// Target when true.
        then: OpId,
        /// Target when false.
        otherwise: OpId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert!(
            std::mem::size_of::<Op>() <= 16,
            "Op is {} bytes",
            std::mem::size_of::<Op>()
        );
        assert_eq!(std::mem::size_of::<Op>(), 16);
    }
}
