/** A message a screen shows, with what the person can do about it. */
export interface Notice {
  tone: "error" | "success" | "info";
  text: string;
  action?: NoticeAction;
  /** A second way out, shown after the action. */
  alternative?: NoticeAction;
}

export interface NoticeAction {
  label: string;
  onClick: () => void;
}
