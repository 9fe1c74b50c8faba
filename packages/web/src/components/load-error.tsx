import { Component, type ReactNode } from "react";
import { Screen } from "./screen";

/**
 * Shown when a screen's code could not be downloaded (offline, or a deploy
 * replaced the files): a message and a way to try again, not a blank page.
 */
export class LoadError extends Component<
  { children: ReactNode; resetKey: string },
  { failed: boolean; resetKey: string }
> {
  override state = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(
    props: { resetKey: string },
    state: { failed: boolean; resetKey: string },
  ) {
    return props.resetKey === state.resetKey ? null : { failed: false, resetKey: props.resetKey };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Screen title="This page didn't load">
        <div role="alert" className="message error">
          <span>Check your connection, then try again.</span>
        </div>
        <button type="button" className="primary" onClick={() => this.setState({ failed: false })}>
          Try again
        </button>
      </Screen>
    );
  }
}
