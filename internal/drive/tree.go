package drive

import (
	"cmp"
	"slices"
	"strings"
)

// TreeArea is what expansion needs to know of an area. Parent is "" for a top area.
type TreeArea struct {
	Code, Kind, Parent string
	Weights            map[string]float64 // named weights for "share … by <weight>", e.g. population
}

// node is an area under the drive's root, linked both ways.
type node struct {
	TreeArea
	parent   *node
	children []*node
	depth    int // 0 at the root
}

// tree holds the areas under the root in breadth-first order, siblings by
// code, so every walk over it, and so every result and message, is repeatable.
type tree struct {
	root  *node
	order []*node
	byKey map[string]*node
	known map[string]bool // every code given, to tell "unknown" from "not under the root"
}

func newTree(root string, areas []TreeArea) (*tree, error) {
	var p problems
	t := &tree{byKey: map[string]*node{}, known: map[string]bool{}}
	children := map[string][]TreeArea{}
	for _, a := range areas {
		if t.known[a.Code] {
			p.add("area %s is given twice", a.Code)
		}
		t.known[a.Code] = true
		children[a.Parent] = append(children[a.Parent], a)
	}
	if !t.known[root] {
		p.add("root area %s is not among the areas", root)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	t.grow(root, areas, children)
	return t, nil
}

// grow walks breadth-first from the root. Areas not reached are outside the
// drive and ignored; a parent cycle through the root stops at the root.
func (t *tree) grow(root string, areas []TreeArea, children map[string][]TreeArea) {
	i := slices.IndexFunc(areas, func(a TreeArea) bool { return a.Code == root })
	t.root = &node{TreeArea: areas[i]}
	t.add(t.root)
	for next := 0; next < len(t.order); next++ {
		n := t.order[next]
		kids := slices.Clone(children[n.Code])
		slices.SortFunc(kids, func(a, b TreeArea) int { return cmp.Compare(a.Code, b.Code) })
		for _, k := range kids {
			if t.byKey[k.Code] != nil {
				continue
			}
			c := &node{TreeArea: k, parent: n, depth: n.depth + 1}
			n.children = append(n.children, c)
			t.add(c)
		}
	}
}

func (t *tree) add(n *node) {
	t.byKey[n.Code] = n
	t.order = append(t.order, n)
}

// ofKind gives the areas of a kind under the root (inclusive), in tree order.
// Kinds are data, compared without case like the rules' keywords.
func (t *tree) ofKind(kind string) []*node {
	var out []*node
	for _, n := range t.order {
		if strings.EqualFold(n.Kind, kind) {
			out = append(out, n)
		}
	}
	return out
}
