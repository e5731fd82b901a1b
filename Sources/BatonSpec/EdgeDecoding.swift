import BatonCore
import Yams

extension WorkflowDecoder {
    /// `edges:` — each item is `a -> b` (chains, parallel targets and joins with commas:
    /// `a -> b, c`, `b, c -> d`, `a -> b -> c`) or `{ from: …, to: …, when: … }`. Returns the
    /// edges that could be read; the others are reported.
    func edges(_ node: YAMLNode, at path: String) -> [Edge] {
        guard let items = context.list(node, at: path, expected: "a list of edges (\"a -> b\" or { from: a, to: b })", nullIsEmpty: true) else {
            return []
        }
        var edges: [Edge] = []
        for item in items {
            let decoded: [(edge: Edge, from: [Endpoint], to: [Endpoint])]?
            if case .scalar = item.node {
                decoded = shorthandEdges(item.node, at: item.path)
            } else {
                decoded = edgeMapping(item.node, at: item.path).map { [$0] }
            }
            guard let decoded else { continue }
            for (edge, from, to) in decoded {
                let number = edges.count
                for (position, endpoint) in from.enumerated() {
                    context.alias(core: "\(path)[\(number)].from[\(position)]", to: endpoint.path, at: endpoint.position)
                }
                for (position, endpoint) in to.enumerated() {
                    context.alias(core: "\(path)[\(number)].to[\(position)]", to: endpoint.path, at: endpoint.position)
                }
                context.alias(core: "\(path)[\(number)]", to: item.path, at: item.node.position)
                edges.append(edge)
            }
        }
        return edges
    }

    /// A node named by an edge, and where.
    struct Endpoint {
        var name: String
        var path: String
        var position: Position?
    }

    private func edgeMapping(_ node: YAMLNode, at path: String) -> (Edge, [Endpoint], [Endpoint])? {
        guard let fields = context.mapping(node, at: path, expected: "an edge (\"a -> b\" or { from: a, to: b, when: … })", allowed: ["from", "to", "when"]) else {
            return nil
        }
        let fromNode = context.required(fields, "from", "the node or nodes the edge leaves")
        let toNode = context.required(fields, "to", "the node or nodes the edge leads to; 'end' ends the path")
        guard let fromNode, let toNode else { return nil }
        let from = context.names(fromNode, at: fields.path("from"), "a node name")
        let to = context.names(toNode, at: fields.path("to"), "a node name")
        var condition: Condition?
        if let whenNode = fields.value("when") {
            guard let expression = context.expression(whenNode, at: fields.path("when"), scope: ExpressionScope.edge) else { return nil }
            condition = .expression(expression)
        }
        guard let from, let to else { return nil }
        let fromEndpoints = from.map { Endpoint(name: $0.name, path: $0.path, position: $0.position) }
        let toEndpoints = to.map { Endpoint(name: $0.name, path: $0.path, position: $0.position) }
        return (Edge(from: from.map(\.name), to: to.map(\.name), when: condition), fromEndpoints, toEndpoints)
    }

    /// Parses `a -> b`, `a -> b, c`, `a, b -> c`, `a -> b -> c` (brackets around a list are allowed).
    private func shorthandEdges(_ node: YAMLNode, at path: String) -> [(Edge, [Endpoint], [Endpoint])]? {
        let expected = "an edge such as \"a -> b\", \"a -> b, c\" or \"a, b -> c\""
        guard case let .scalar(scalar) = node, node.scalarKind == .string else {
            context.error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        let text = Array(scalar.string)
        // Split into groups of names at each "->", remembering each name's character offset.
        var groups: [[Endpoint]] = [[]]
        var current = ""
        var start = 0
        var index = 0
        func flush() {
            if !current.isEmpty {
                groups[groups.count - 1].append(Endpoint(name: current, path: path, position: context.position(in: node, offset: start)))
            }
            current = ""
        }
        while index < text.count {
            let character = text[index]
            if character == "-", index + 1 < text.count, text[index + 1] == ">" {
                flush()
                groups.append([])
                index += 2
                continue
            }
            if character == "," || character == " " || character == "[" || character == "]" || character == "\t" {
                flush()
            } else {
                if current.isEmpty { start = index }
                current.append(character)
            }
            index += 1
        }
        flush()
        guard groups.count >= 2 else {
            context.error(path, node: node, "expected \(expected), found \(node.found): there is no '->'")
            return nil
        }
        var failed = false
        for (number, group) in groups.enumerated() {
            if group.isEmpty {
                context.error(path, node: node, "expected \(expected), found \(node.found): \(number == 0 ? "nothing before the first '->'" : "nothing after a '->'")")
                return nil
            }
            for endpoint in group where !Names.isValid(endpoint.name) {
                context.error(path, at: endpoint.position, "expected a node name in the edge, found \"\(endpoint.name)\"")
                failed = true
            }
        }
        if failed { return nil }
        return zip(groups, groups.dropFirst()).map { from, to in
            (Edge(from: from.map(\.name), to: to.map(\.name)), from, to)
        }
    }
}
