import {
  FieldNode,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from './types/pagination';

/**
 * What an unpaged list of objects (a child's involvements, a person's memberships) is assumed to hold. Such
 * lists are short in this domain; nested under pages they still multiply, which is what the estimate must see.
 */
const UNPAGED_LIST_SIZE = 10;

/**
 * How many fields an answer to the operation could hold at most: every field counts one, each time it can
 * appear. A connection's list holds one page: `first` as written, the most a variable may ask for
 * (MAX_PAGE_SIZE: variables are not known while a document is validated), or the argument's default. A page
 * size out of range counts as the largest allowed, so the resolver, not this estimate, explains the mistake.
 * Introspection's `__schema` is free, as developer tools must read it whole (it is refused outside development).
 */
class CostEstimate {
  /** Fragments are costed once per page size they are spread under: repeated spreads cannot make this slow. */
  private readonly fragments = new Map<string, number>();
  /** The fragments being costed, to stop at a cycle (which NoFragmentCyclesRule reports). */
  private readonly open = new Set<string>();

  constructor(private readonly context: ValidationContext) {}

  of(selections: SelectionSetNode, type: GraphQLCompositeType, page?: number): number {
    let cost = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += this.field(selection, type, page);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && this.schema.getType(selection.typeCondition.name.value);
        cost += this.of(selection.selectionSet, isCompositeType(condition) ? condition : type, page);
      } else {
        cost += this.fragment(selection.name.value, page);
      }
    }
    return cost;
  }

  private get schema(): GraphQLSchema {
    return this.context.getSchema();
  }

  private fragment(name: string, page: number | undefined): number {
    const key = `${name}|${page ?? ''}`;
    const known = this.fragments.get(key);
    if (known !== undefined) return known;
    const definition = this.context.getFragment(name);
    const type = definition && this.schema.getType(definition.typeCondition.name.value);
    if (!definition || !isCompositeType(type) || this.open.has(name)) return 0;
    this.open.add(name);
    const cost = this.of(definition.selectionSet, type, page);
    this.open.delete(name);
    this.fragments.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, page: number | undefined): number {
    const definition = this.definitionOf(node.name.value, parent);
    if (!definition || !node.selectionSet) return 1;
    if (definition === SchemaMetaFieldDef) return 0;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return 1;
    const items = isListType(getNullableType(definition.type)) ? (page ?? UNPAGED_LIST_SIZE) : 1;
    return 1 + items * this.of(node.selectionSet, type, pageSizeOf(node, definition));
  }

  private definitionOf(name: string, parent: GraphQLCompositeType): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }
}

/** The page a connection field asks for, which the list directly inside it (its `edges`) holds. */
function pageSizeOf(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
  const argument = definition.args.find((arg) => arg.name === 'first');
  if (!argument) return undefined;
  const value = node.arguments?.find((arg) => arg.name.value === 'first')?.value;
  if (value?.kind === Kind.INT) return Math.min(Math.max(Number(value.value), 1), MAX_PAGE_SIZE);
  if (value?.kind === Kind.VARIABLE) return MAX_PAGE_SIZE;
  return typeof argument.defaultValue === 'number' ? argument.defaultValue : MAX_PAGE_SIZE;
}

/** The estimated cost of an operation of the document being validated (see CostEstimate). */
export function estimatedCost(context: ValidationContext, operation: OperationDefinitionNode): number {
  const root = context.getSchema().getRootType(operation.operation);
  return root ? new CostEstimate(context).of(operation.selectionSet, root) : 0;
}

/** Refuses an operation whose estimated answer holds more than `maxCost` fields. */
export function costLimitRule(maxCost: number, refusal: string): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (estimatedCost(context, operation) > maxCost) context.reportError(new GraphQLError(refusal));
    },
  });
}
