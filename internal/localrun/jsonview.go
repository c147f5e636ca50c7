package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The function's output is read through these lenient views of JSON: a
// value of an unexpected type is shown as it is rather than refused, so
// that a change in the result's or the logs' shape never hides them.

// text is a JSON string's value, or any other value as compact JSON; ""
// for null or absent.
func text(v json.RawMessage) string {
	var s string
	if v == nil || string(v) == "null" {
		return ""
	}
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

func objects(v json.RawMessage) []object {
	var list []json.RawMessage
	if json.Unmarshal(v, &list) != nil {
		return nil
	}
	var out []object
	for _, item := range list {
		if o, ok := orderedObject(string(item)); ok {
			out = append(out, o)
		}
	}
	return out
}

// encode writes the object back, in its own key order.
func (o object) encode() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		b.Write(o.values[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

func indent(b []byte) []byte {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return b
	}
	return out.Bytes()
}

type object struct {
	keys   []string
	values map[string]json.RawMessage
}

func (o object) get(k string) json.RawMessage { return o.values[k] }

// orderedObject decodes a JSON object keeping its keys' order.
func orderedObject(line string) (object, bool) {
	o := object{values: map[string]json.RawMessage{}}
	dec := json.NewDecoder(strings.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return o, false
	}
	for dec.More() {
		t, err := dec.Token()
		k, isKey := t.(string)
		var v json.RawMessage
		if err != nil || !isKey || dec.Decode(&v) != nil {
			return o, false
		}
		if _, dup := o.values[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.values[k] = v
	}
	return o, true
}

// scalar shows a JSON value plainly: a list of plain strings joined by
// commas, a string unquoted unless it has spaces, anything else as text
// shows it.
func scalar(v json.RawMessage) string {
	var list []string
	if json.Unmarshal(v, &list) == nil && !strings.ContainsAny(strings.Join(list, ""), " ,\n") {
		return strings.Join(list, ",")
	}
	s := text(v)
	if len(v) > 0 && v[0] == '"' && strings.ContainsAny(s, " \t\n\"=") {
		return strconv.Quote(s)
	}
	return s
}
