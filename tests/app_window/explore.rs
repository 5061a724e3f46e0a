//! The response explored: the JSON tree and the JSONPath / XPath filter.
