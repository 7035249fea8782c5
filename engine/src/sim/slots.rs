//! The executions in flight, in reusable slots. A slot's generation grows
//! each time it is reused, so a timer set by an earlier occupant is ignored.

use crate::vm::Execution;

/// One execution in flight.
pub(crate) struct Live {
    /// The execution.
    pub(crate) exec: Execution,
    /// Generation of its slot when it started.
    pub(crate) gen: u32,
}

/// Live executions by slot, with a free list.
#[derive(Default)]
pub(crate) struct Slots {
    live: Vec<Option<Live>>,
    free: Vec<u32>,
    gens: Vec<u32>,
}

impl Slots {
    /// Puts `exec` in a free slot (the last freed first) and returns it.
    pub(crate) fn insert(&mut self, exec: Execution) -> u32 {
        let s = match self.free.pop() {
            Some(s) => s,
            None => {
                self.live.push(None);
                (self.live.len() - 1) as u32
            }
        };
        let gen = self.next_gen(s);
        self.live[s as usize] = Some(Live { exec, gen });
        s
    }

    /// The execution in `slot`, if any.
    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut Live> {
        self.live.get_mut(slot as usize).and_then(Option::as_mut)
    }

    /// The execution in `slot` if it is still generation `gen`.
    pub(crate) fn current(&mut self, slot: u32, gen: u32) -> Option<&mut Live> {
        self.get_mut(slot).filter(|l| l.gen == gen)
    }

    /// Empties `slot` for reuse.
    pub(crate) fn remove(&mut self, slot: u32) {
        self.live[slot as usize] = None;
        self.free.push(slot);
    }

    /// Generation of a reused slot (so a stale wake-up is ignored).
    fn next_gen(&mut self, s: u32) -> u32 {
        let gens = &mut self.gens;
        if gens.len() <= s as usize {
            gens.resize(s as usize + 1, 0);
        }
        gens[s as usize] = gens[s as usize].wrapping_add(1);
        gens[s as usize]
    }
}
