/**
 * Errors of JSONata states, named as Step Functions names them ("Handling errors in Step Functions
 * workflows"): a failed or undefined JSONata evaluation is `States.QueryEvaluationError`.
 */
export class StatesError extends Error {
  constructor(
    errorName: string,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

export class QueryEvaluationError extends StatesError {
  constructor(message: string) {
    super("States.QueryEvaluationError", message);
  }
}
