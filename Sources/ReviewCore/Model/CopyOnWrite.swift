/// A value kept behind one reference and copied only when it is written while shared: a
/// value type whose copies cost one retain, however many fields it has (``Policy`` and
/// ``WorkflowConfiguration``, put in every article's rule context).
///
/// Its storage is written only through ``value``'s `_modify`, after a copy where another
/// value shares it, so never while another thread reads it.
struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    private final class Box {
        /// Not checked for exclusive access at run time (every read of a field of a policy, a
        /// category or an article's facts was): it is written only through ``value``'s
        /// `_modify`, where this box is referenced once, so never while anything reads it.
        @exclusivity(unchecked) var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) { box = Box(value) }

    var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    /// Gives this value a storage of its own (its fields still share what they held).
    mutating func unshare() { box = Box(box.value) }

    /// Whether both share one storage (then their values are equal without comparing them).
    func sharesStorage(with other: CopyOnWrite) -> Bool { box === other.box }
}
