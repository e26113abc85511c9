/// An object's place in the packs: the pack's number among the reader's, and the offset of its
/// entry in that pack.
struct PackPlace: Equatable {
    let pack: Int
    let offset: Int

    /// Marks a free slot of a ``PlaceTable`` (no pack has a negative number).
    static let free = PackPlace(pack: -1, offset: 0)
}

/// A map from places in the packs to values: what the pack reader's object cache keeps.
///
/// A `Dictionary` hashes its keys with SipHash, and a read that misses the cache hashed its place
/// three times (a look in each generation and the insert): 2.4% of a cold `status`'s CPU on the
/// generated corpus, and a like share of nodejs.org's pull-request check. Here a place is hashed by one
/// multiply into a table of open addressing with linear probing, at most half full, and a
/// removed entry's followers are shifted back (no tombstones). The multiplier is odd and drawn at
/// random for each table (multiply-shift hashing): a fetched pack's offsets are chosen by whoever
/// wrote it, and they must not be able to line up places that share a slot and make each look a
/// walk through all of them.
struct PlaceTable<Value> {
    private var places: [PackPlace]
    private var values: [Value?]
    /// The table has `1 << bits` slots.
    private var bits: Int
    private(set) var count = 0
    private let multiplier = UInt64.random(in: 1...UInt64.max) | 1

    init() {
        bits = 4
        places = Array(repeating: .free, count: 1 << bits)
        values = Array(repeating: nil, count: 1 << bits)
    }

    private var mask: Int { (1 << bits) - 1 }

    /// The slot a place starts its search at: the top `bits` bits of its number times the
    /// table's multiplier.
    private func home(_ place: PackPlace) -> Int {
        let number = UInt64(truncatingIfNeeded: place.offset) &+ UInt64(truncatingIfNeeded: place.pack) &* 0xD6E8_FEB8_6659_FD93
        return Int(truncatingIfNeeded: (number &* multiplier) >> UInt64(64 - bits))
    }

    /// The slot holding `place`, or the free slot where it would go.
    private func slot(of place: PackPlace) -> (index: Int, found: Bool) {
        var i = home(place)
        while true {
            let held = places[i]
            if held == place { return (i, true) }
            if held.pack < 0 { return (i, false) }
            i = (i + 1) & mask
        }
    }

    subscript(place: PackPlace) -> Value? {
        let (i, found) = slot(of: place)
        return found ? values[i] : nil
    }

    /// Sets the value at `place`; returns the value it replaces, if any.
    @discardableResult
    mutating func updateValue(_ value: Value, forKey place: PackPlace) -> Value? {
        precondition(place.pack >= 0, "a pack's number is never negative")
        let (i, found) = slot(of: place)
        if found {
            let replaced = values[i]
            values[i] = value
            return replaced
        }
        places[i] = place
        values[i] = value
        count += 1
        if count * 2 > places.count { grow() }
        return nil
    }

    /// Takes the value at `place` out of the table.
    mutating func removeValue(forKey place: PackPlace) -> Value? {
        var (i, found) = slot(of: place)
        guard found else { return nil }
        let removed = values[i]
        places[i] = .free
        values[i] = nil
        count -= 1
        // Shift back each follower of the run that the freed slot would now hide from its home.
        var j = i
        while true {
            j = (j + 1) & mask
            let held = places[j]
            if held.pack < 0 { break }
            let h = home(held)
            // `held` may stay at `j` where its home lies cyclically in (i, j].
            let stays = i <= j ? (i < h && h <= j) : (i < h || h <= j)
            if !stays {
                places[i] = held
                values[i] = values[j]
                places[j] = .free
                values[j] = nil
                i = j
            }
        }
        return removed
    }

    /// Empties the table, keeping its slots.
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in places.indices where places[i].pack >= 0 {
            places[i] = .free
            values[i] = nil
        }
        count = 0
    }

    /// Every value held, in no order.
    var allValues: [Value] { values.compactMap { $0 } }

    private mutating func grow() {
        let oldPlaces = places, oldValues = values
        bits += 1
        places = Array(repeating: .free, count: 1 << bits)
        values = Array(repeating: nil, count: 1 << bits)
        for i in oldPlaces.indices where oldPlaces[i].pack >= 0 {
            let (j, _) = slot(of: oldPlaces[i])
            places[j] = oldPlaces[i]
            values[j] = oldValues[i]
        }
    }
}
