/// The annotations `unevaluatedProperties` and `unevaluatedItems` depend on: which members and
/// items of one instance the keywords evaluated so far (including those of subschemas applied
/// in place, through `allOf`, `$ref`, `if`… when they passed) have evaluated.
///
/// The validator tracks it only for nodes that need it, so validating a schema without
/// `unevaluated*` keywords allocates nothing for annotations.
struct EvaluatedLocations {
    /// Every member was evaluated (by `additionalProperties` or `unevaluatedProperties`).
    var allProperties = false
    /// Members evaluated by name.
    var properties: Set<String> = []
    /// Every item was evaluated (by `items` or `unevaluatedItems`).
    var allItems = false
    /// Items `0..<itemPrefix` were evaluated (by `prefixItems`).
    var itemPrefix = 0
    /// Items evaluated one by one (by `contains`).
    var items: Set<Int> = []

    /// True when the member `name` has been evaluated.
    func contains(property name: String) -> Bool {
        allProperties || properties.contains(name)
    }

    /// True when the item at `index` has been evaluated.
    func contains(item index: Int) -> Bool {
        allItems || index < itemPrefix || items.contains(index)
    }

    /// Adds what `other` evaluated.
    mutating func merge(_ other: EvaluatedLocations) {
        if other.allProperties {
            allProperties = true
        } else if !allProperties, !other.properties.isEmpty {
            properties.formUnion(other.properties)
        }
        if other.allItems {
            allItems = true
        } else if !allItems {
            itemPrefix = max(itemPrefix, other.itemPrefix)
            if !other.items.isEmpty { items.formUnion(other.items) }
        }
    }
}
