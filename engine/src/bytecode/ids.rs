//! Typed `u32` indices into the side tables of a [`super::Program`].

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub(crate) struct $name(pub(crate) u32);
        impl $name {
            /// The index as `usize`.
            #[inline]
            pub(crate) fn idx(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// An op index (a jump target).
    OpId,
    /// A state in [`super::Program::states`].
    StateId,
    /// A path in [`super::Program::paths`].
    PathId,
    /// A payload template in [`super::Program::templates`].
    TemplateId,
    /// A constant in [`super::Program::consts`].
    ConstId,
    /// A task in [`super::Program::tasks`].
    TaskId,
    /// A Choice test in [`super::Program::tests`].
    TestId,
    /// A Wait in [`super::Program::waits`].
    WaitId,
    /// A Fail in [`super::Program::fails`].
    FailId,
    /// A Parallel in [`super::Program::parallels`].
    ParallelId,
    /// A Map in [`super::Program::maps`].
    MapId,
    /// A block (top level, branch, Map processor) in [`super::Program::blocks`].
    BlockId,
    /// A registered task handler.
    HandlerId,
    /// A JSONata template in [`super::Program::queries`].
    QueryId,
    /// An `Assign` in [`super::Program::assigns`].
    AssignId,
}
